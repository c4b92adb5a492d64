#!/usr/bin/env bash
# `npm start`: a whole Coffer on this machine, in the background. Runs setup (with the embedded HSM
# token), then starts nats-server (embedded, unless COFFER_NATS_URL is set), crypto-worker,
# projector and vault, each only if it is not already running, waiting for each to answer.
# State: pid files in $COFFER_HOME/run, logs in $COFFER_HOME/logs, the NATS URL in $COFFER_HOME/nats.url.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

READY_TIMEOUT="${COFFER_START_TIMEOUT:-60}"
DEFAULT_NATS_PORT=4333

bash infra/scripts/setup.sh --token
mkdir -p "$RUN_DIR" "$LOG_DIR"

# Apps read SOFTHSM2_CONF when they load the PKCS#11 module; the embedded token's conf is ours.
if external_pkcs11; then
  export SOFTHSM2_CONF="${SOFTHSM2_CONF:-$COFFER_HOME/hsm/softhsm2.conf}"
else
  export SOFTHSM2_CONF="$COFFER_HOME/hsm/softhsm2.conf"
fi

started_something=false

wait_ready() { # check url [pid log]
  node infra/scripts/wait-ready.js --check "$1" --url "$2" ${3:+--pid "$3"} ${4:+--log "$4"} --timeout "$READY_TIMEOUT"
}

# --- NATS ------------------------------------------------------------------------------------
# The embedded server has two users (infra/nats/coffer.conf.template): coffer-internal for the apps
# (full access) and coffer-client for the CLI, SDK and other clients (coffer.v1 requests only).
# Their passwords are random, made once, in $COFFER_HOME/nats/{internal,client}.pass (0600).
# $COFFER_HOME/nats.url (0600) is the CLIENT URL, nats://coffer-client:<password>@127.0.0.1:<port>;
# the apps get COFFER_NATS_URL=nats://127.0.0.1:<port>, COFFER_NATS_USER=coffer-internal and
# COFFER_NATS_PASSWORD_FILE. TLS is on when COFFER_NATS_SERVER_TLS_CERT/_KEY (or
# COFFER_NATS_TLS_CERT/_KEY) are set; COFFER_NATS_TLS_CA is then the CA clients and apps trust.
source "$(dirname "${BASH_SOURCE[0]}")/lib/nats-config.sh"

start_embedded_nats() {
  local pid_file="$RUN_DIR/nats-server.pid" conf="$RUN_DIR/nats-server.conf" log="$LOG_DIR/nats-server.log" port url
  mkdir -p "$NATS_DIR"
  ensure_password "$INTERNAL_PASS_FILE"
  ensure_password "$CLIENT_PASS_FILE"
  # The apps (and wait-ready.js) connect as coffer-internal.
  export COFFER_NATS_USER=coffer-internal COFFER_NATS_PASSWORD_FILE="$INTERNAL_PASS_FILE"
  unset COFFER_NATS_PASSWORD COFFER_NATS_TOKEN
  if pid_file_alive "$pid_file" nats-server; then
    # Its port is in the config it was started with (nats.url may have been deleted by hand).
    port="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
    NATS_URL="nats://127.0.0.1:$port"
    write_private "$COFFER_HOME/nats.url" "nats://coffer-client:$(<"$CLIENT_PASS_FILE")@127.0.0.1:$port"
    say "coffer: nats-server already running at $NATS_URL (pid $(<"$pid_file"))"
    return
  fi
  port="$DEFAULT_NATS_PORT"
  if port_in_use "$port"; then
    port="$(free_port)"
    say "coffer: port $DEFAULT_NATS_PORT is taken by another process, using $port"
  fi
  render_nats_conf "$port" "$conf"
  say "coffer: starting nats-server on 127.0.0.1:$port (log: $log)"
  setsid nohup nats-server -c "$conf" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  url="nats://127.0.0.1:$port"
  wait_ready nats "$url" "$(<"$pid_file")" "$log"
  # Written only once the server answers: the CLI and SDK read this file to find it (as coffer-client).
  write_private "$COFFER_HOME/nats.url" "nats://coffer-client:$(<"$CLIENT_PASS_FILE")@127.0.0.1:$port"
  NATS_URL="$url"
  started_something=true
}

if [[ -n "${COFFER_NATS_URL:-}" ]]; then
  NATS_URL="$COFFER_NATS_URL"
  # Credentials and TLS come from COFFER_NATS_USER/_PASSWORD(_FILE)/_TOKEN and COFFER_NATS_TLS_*.
  say "coffer: using the NATS server at $(redact_url "$NATS_URL") (COFFER_NATS_URL)"
  wait_ready nats "$NATS_URL"
else
  start_embedded_nats
fi
export COFFER_NATS_URL="$NATS_URL"

# --- apps ------------------------------------------------------------------------------------
start_app() {
  local app="$1" entry="dist/apps/$1/src/main.js" pid_file="$RUN_DIR/$1.pid" log="$LOG_DIR/$1.log"
  if pid_file_alive "$pid_file" "$entry"; then
    say "coffer: $app already running (pid $(<"$pid_file"))"
    wait_ready "$app" "$NATS_URL" "$(<"$pid_file")" "$log"
    return
  fi
  [[ -f "$entry" ]] || die "$entry is missing (the build did not produce $app)"
  say "coffer: starting $app (log: $log)"
  setsid nohup node "$entry" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  wait_ready "$app" "$NATS_URL" "$(<"$pid_file")" "$log"
  started_something=true
}

for app in "${COFFER_APPS[@]}"; do start_app "$app"; done

if ! $started_something; then
  say "coffer: already running at $(redact_url "$NATS_URL") — nothing to do (npm stop stops it)"
  exit 0
fi

cat <<MSG

coffer: up at $(redact_url "$NATS_URL") (home: $COFFER_HOME)
  Clients connect as coffer-client with the URL in $COFFER_HOME/nats.url (0600);
  the apps as coffer-internal ($COFFER_HOME/nats/internal.pass).

  Quick start:
    npx coffer status
    npx coffer vault create --name demo
    npx coffer secret set --vault demo -n db-password --value s3cret
    npx coffer secret show --vault demo -n db-password --field value

  Logs: npm run logs        Stop: npm stop
MSG
