#!/usr/bin/env bash
# `npm run nats-user -- add|remove|list [NAME]`: NATS client users of the embedded server, one per
# application, each confined to coffer.v1 requests and its OWN reply inbox (_INBOX_<name>.>), so no
# application can read another's replies. The running nats-server reloads its configuration (no
# restart): every client's inbox is rendered into the vault responder's allow list (the only inboxes
# it may answer). `add` prints the client URL (also written to $COFFER_HOME/nats/clients/<name>.url,
# 0600); give it to the application as COFFER_NATS_URL. Coffer credentials (a principal) are separate.
# `add NAME --hooks VAULT`: a rotation-hook responder instead, which may serve coffer.hooks.<VAULT>.>
# and answer the scheduler's hook sender, nothing else (its URL: $COFFER_HOME/nats/clients/<name>.url).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/nats-config.sh"

usage() { die "usage: npm run nats-user -- add NAME [--hooks VAULT] | remove NAME | list   (NAME: 2-32 of a-z 0-9 -, starting with a letter, not coffer-…)"; }
action="${1:-}" name="${2:-}" hooks_vault=""
if [[ "${3:-}" == --hooks ]]; then
  hooks_vault="${4:-}"
  [[ "$hooks_vault" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "--hooks needs a vault name (letters, digits, _ and -)"
elif [[ -n "${3:-}" ]]; then usage; fi
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
    # coffer-… names belong to Coffer's own users (infra/nats/coffer.conf.template).
    [[ "$name" =~ ^[a-z][a-z0-9-]{1,31}$ && "$name" != coffer-* ]] || usage
    [[ -f "$NATS_CLIENTS_DIR/$name.pass" || -f "$NATS_HOOKS_DIR/$name.pass" ]] && die "NATS user '$name' exists (remove it first)"
    (umask 077 && mkdir -p "$NATS_CLIENTS_DIR" "$NATS_HOOKS_DIR")
    if [[ -n "$hooks_vault" ]]; then
      pass_file="$NATS_HOOKS_DIR/$name.pass"
      ensure_password "$pass_file"
      write_private "$NATS_HOOKS_DIR/$name.vault" "$hooks_vault"
    else
      pass_file="$NATS_CLIENTS_DIR/$name.pass"
      ensure_password "$pass_file"
    fi
    reload
    port="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
    write_private "$NATS_CLIENTS_DIR/$name.url" "nats://$name:$(<"$pass_file")@127.0.0.1:$port"
    if [[ -n "$hooks_vault" ]]; then
      say "coffer: NATS hook user '$name' ready: it may serve coffer.hooks.$hooks_vault.>; its URL is in $NATS_CLIENTS_DIR/$name.url (0600)"
    else
      say "coffer: NATS client user '$name' ready; its URL is in $NATS_CLIENTS_DIR/$name.url (0600)"
    fi
    ;;
  remove)
    [[ -n "$name" && ( -f "$NATS_CLIENTS_DIR/$name.pass" || -f "$NATS_HOOKS_DIR/$name.pass" ) ]] || die "no NATS client user '$name'"
    rm -f "$NATS_CLIENTS_DIR/$name.pass" "$NATS_CLIENTS_DIR/$name.url" "$NATS_HOOKS_DIR/$name.pass" "$NATS_HOOKS_DIR/$name.vault"
    reload
    say "coffer: NATS user '$name' removed"
    ;;
  list)
    say coffer-client
    for f in "$NATS_CLIENTS_DIR"/*.pass; do [[ -e "$f" ]] && basename "$f" .pass; done
    for f in "$NATS_HOOKS_DIR"/*.pass; do [[ -e "$f" ]] && say "$(basename "$f" .pass) (hooks: coffer.hooks.$(<"${f%.pass}.vault").>)"; done
    ;;
  *) usage ;;
esac
