#!/usr/bin/env bash
# `npm run nats-user -- add|remove|list [NAME]`: NATS client users of the embedded server, one per
# application, each confined to coffer.v1 requests and its OWN reply inbox (_INBOX_<name>.>), so no
# application can read another's replies. The running nats-server reloads its configuration (no
# restart). `add` prints the client URL (also written to $COFFER_HOME/nats/clients/<name>.url, 0600);
# give it to the application as COFFER_NATS_URL. Coffer credentials (a principal) are separate.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/nats-config.sh"

usage() { die "usage: npm run nats-user -- add|remove NAME | list   (NAME: 2-32 of a-z 0-9 -, starting with a letter)"; }
action="${1:-}" name="${2:-}"
conf="$RUN_DIR/nats-server.conf" pid_file="$RUN_DIR/nats-server.pid"

reload() {
  [[ -f "$conf" ]] || die "no embedded nats-server configuration in $RUN_DIR: run npm start first"
  local port
  port="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
  render_nats_conf "$port" "$conf"
  if pid_file_alive "$pid_file" nats-server; then
    nats-server --signal "reload=$(<"$pid_file")"
    say "coffer: nats-server reloaded its users"
  fi
}

case "$action" in
  add)
    [[ "$name" =~ ^[a-z][a-z0-9-]{1,31}$ && "$name" != coffer-internal && "$name" != coffer-client ]] || usage
    mkdir -p "$NATS_CLIENTS_DIR"
    ensure_password "$NATS_CLIENTS_DIR/$name.pass"
    reload
    port="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
    write_private "$NATS_CLIENTS_DIR/$name.url" "nats://$name:$(<"$NATS_CLIENTS_DIR/$name.pass")@127.0.0.1:$port"
    say "coffer: NATS client user '$name' ready; its URL is in $NATS_CLIENTS_DIR/$name.url (0600)"
    ;;
  remove)
    [[ -n "$name" && -f "$NATS_CLIENTS_DIR/$name.pass" ]] || die "no NATS client user '$name'"
    rm -f "$NATS_CLIENTS_DIR/$name.pass" "$NATS_CLIENTS_DIR/$name.url"
    reload
    say "coffer: NATS client user '$name' removed"
    ;;
  list)
    say coffer-client
    for f in "$NATS_CLIENTS_DIR"/*.pass; do [[ -e "$f" ]] && basename "$f" .pass; done
    ;;
  *) usage ;;
esac
