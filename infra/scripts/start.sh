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
# The embedded server (infra/nats/coffer.conf.template) has one user per app and role, each with
# allow lists of exactly what it needs (README, "Transport security"); coffer-client for the CLI,
# SDK and other clients (coffer.v1 requests only); coffer-admin for the provisioning step below.
# Passwords are random, made once, in $COFFER_HOME/nats/users/<user>.pass and nats/client.pass (0600).
# $COFFER_HOME/nats.url (0600) is the CLIENT URL, nats://coffer-client:<password>@127.0.0.1:<port>;
# each app gets COFFER_NATS_URL=nats://127.0.0.1:<port> and its own COFFER_NATS_USER /
# COFFER_NATS_PASSWORD_FILE (plus _RESPONDER_ / _HOOKS_ ones where it has them). TLS is on when
# COFFER_NATS_SERVER_TLS_CERT/_KEY (or COFFER_NATS_TLS_CERT/_KEY) are set; COFFER_NATS_TLS_CA is then
# the CA clients and apps trust.
source "$(dirname "${BASH_SOURCE[0]}")/lib/nats-config.sh"
EMBEDDED_NATS=false

# Runs a command as one NATS user of the embedded server (wait-ready.js, provisioning).
as_nats_user() { # user command...
  local user="$1"
  shift
  COFFER_NATS_USER="$user" COFFER_NATS_PASSWORD_FILE="$(nats_pass_file "$user")" "$@"
}

start_embedded_nats() {
  local pid_file="$RUN_DIR/nats-server.pid" conf="$RUN_DIR/nats-server.conf" log="$LOG_DIR/nats-server.log" port url
  EMBEDDED_NATS=true
  ensure_nats_passwords
  unset COFFER_NATS_USER COFFER_NATS_PASSWORD COFFER_NATS_PASSWORD_FILE COFFER_NATS_TOKEN
  if pid_file_alive "$pid_file" nats-server; then
    # Its port is in the config it was started with (nats.url may have been deleted by hand).
    port="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
    # Re-rendered and reloaded: a server started by an older Coffer gets today's users and permissions.
    render_nats_conf "$port" "$conf"
    nats-server --signal "reload=$(<"$pid_file")"
    NATS_URL="nats://127.0.0.1:$port"
    write_private "$COFFER_HOME/nats.url" "nats://coffer-client:$(<"$CLIENT_PASS_FILE")@127.0.0.1:$port"
    say "coffer: nats-server already running at $NATS_URL (pid $(<"$pid_file")); users reloaded"
    as_nats_user coffer-vault wait_ready nats "$NATS_URL"
    return
  fi
  # The port it had before (apps that outlived it keep reconnecting there), else the default.
  local wanted=""
  [[ -f "$conf" ]] && wanted="$(sed -n 's/^listen: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$conf")"
  wanted="${wanted:-$DEFAULT_NATS_PORT}"
  port="$wanted"
  if port_in_use "$port"; then
    port="$(free_port)"
    say "coffer: port $wanted is taken by another process, using $port"
    # Apps still running would keep reconnecting to the old port forever: restart them on the new one.
    for ((i = ${#COFFER_APPS[@]} - 1; i >= 0; i--)); do
      local app="${COFFER_APPS[$i]}"
      if pid_file_alive "$RUN_DIR/$app.pid" "dist/apps/$app/src/main.js"; then
        say "coffer: restarting $app, which still points at port $wanted"
        # A short grace: with its server gone it has nothing to flush, and would wait on the drain.
        stop_pid_file "$RUN_DIR/$app.pid" "dist/apps/$app/src/main.js" 2 "$app"
      fi
    done
    stop_pid_file "$RUN_DIR/gateway.pid" dist/apps/gateway/src/main.js 2 gateway
  fi
  render_nats_conf "$port" "$conf"
  say "coffer: starting nats-server on 127.0.0.1:$port (log: $log)"
  setsid nohup nats-server -c "$conf" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  url="nats://127.0.0.1:$port"
  as_nats_user coffer-vault wait_ready nats "$url" "$(<"$pid_file")" "$log"
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

# Provisioning: streams with deny_purge/deny_delete, as the admin user no app uses (apps may not
# update streams). On an external server it runs when COFFER_NATS_ADMIN_USER (+ _PASSWORD(_FILE)) is set.
if $EMBEDDED_NATS; then
  as_nats_user coffer-admin node infra/scripts/provision-streams.js --url "$NATS_URL"
elif [[ -n "${COFFER_NATS_ADMIN_USER:-}" ]]; then
  COFFER_NATS_USER="$COFFER_NATS_ADMIN_USER" COFFER_NATS_PASSWORD="${COFFER_NATS_ADMIN_PASSWORD:-}" \
    COFFER_NATS_PASSWORD_FILE="${COFFER_NATS_ADMIN_PASSWORD_FILE:-}" node infra/scripts/provision-streams.js --url "$NATS_URL"
else
  say "coffer: COFFER_NATS_ADMIN_USER is not set: streams are not provisioned (see README, Transport security)"
fi

# --- apps ------------------------------------------------------------------------------------
start_app() {
  local app="$1" entry="dist/apps/$1/src/main.js" pid_file="$RUN_DIR/$1.pid" log="$LOG_DIR/$1.log" app_env=() probe=coffer-vault
  # Embedded: each app as its own NATS user(s); readiness asked as its caller (a client asks the vault).
  if $EMBEDDED_NATS; then
    mapfile -t app_env < <(nats_app_env "$app")
    [[ "$app" == vault ]] && probe=coffer-client
  fi
  ready() {
    if $EMBEDDED_NATS; then as_nats_user "$probe" wait_ready "$app" "$NATS_URL" "$@"; else wait_ready "$app" "$NATS_URL" "$@"; fi
  }
  if pid_file_alive "$pid_file" "$entry"; then
    say "coffer: $app already running (pid $(<"$pid_file"))"
    ready "$(<"$pid_file")" "$log"
    return
  fi
  [[ -f "$entry" ]] || die "$entry is missing (the build did not produce $app)"
  say "coffer: starting $app (log: $log)"
  env "${app_env[@]}" setsid nohup node "$entry" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  ready "$(<"$pid_file")" "$log"
  started_something=true
}

for app in "${COFFER_APPS[@]}"; do start_app "$app"; done

# --- HTTPS gateway (Azure Key Vault's REST API) -----------------------------------------------------
# A Coffer client like the CLI (the client URL in $COFFER_HOME/nats.url); on first start it has its TLS
# certificate issued by Coffer's own CA as the administrator (README: Azure SDKs through the gateway).
GATEWAY_DOMAIN="${COFFER_GATEWAY_DOMAIN:-vault.localhost}" GATEWAY_PORT="${COFFER_GATEWAY_PORT:-8443}" GATEWAY_TENANT="${COFFER_GATEWAY_TENANT:-coffer}"
GATEWAY_CA="${COFFER_GATEWAY_TLS_CA:-$COFFER_HOME/gateway-ca.pem}"
start_gateway() {
  local entry=dist/apps/gateway/src/main.js pid_file="$RUN_DIR/gateway.pid" log="$LOG_DIR/gateway.log" unset_url=()
  ready() {
    node infra/scripts/wait-gateway.js --port "$GATEWAY_PORT" --domain "$GATEWAY_DOMAIN" --tenant "$GATEWAY_TENANT" --ca "$GATEWAY_CA" \
      --pid "$1" --log "$log" --timeout "$READY_TIMEOUT"
  }
  if pid_file_alive "$pid_file" "$entry"; then
    [[ -s "$RUN_DIR/gateway.port" ]] && GATEWAY_PORT="$(<"$RUN_DIR/gateway.port")"
    say "coffer: gateway already running (pid $(<"$pid_file"))"
    ready "$(<"$pid_file")"
    return
  fi
  [[ -f "$entry" ]] || die "$entry is missing (the build did not produce the gateway)"
  if port_in_use "$GATEWAY_PORT"; then
    [[ -n "${COFFER_GATEWAY_PORT:-}" ]] && die "port $GATEWAY_PORT (COFFER_GATEWAY_PORT) is taken"
    local taken="$GATEWAY_PORT"
    GATEWAY_PORT="$(free_port)"
    say "coffer: port $taken is taken by another process, the gateway uses $GATEWAY_PORT"
  fi
  echo "$GATEWAY_PORT" >"$RUN_DIR/gateway.port"
  # Embedded: the apps' COFFER_NATS_URL has no client credentials; the gateway reads nats.url as the CLI does.
  $EMBEDDED_NATS && unset_url=(-u COFFER_NATS_URL)
  say "coffer: starting gateway (log: $log)"
  env "${unset_url[@]}" COFFER_GATEWAY_PORT="$GATEWAY_PORT" setsid nohup node "$entry" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  ready "$(<"$pid_file")"
  started_something=true
}
start_gateway

# Each app's Prometheus metrics and health checks (README: Metrics and health), on loopback by default.
OPS_ENDPOINTS="$(node infra/scripts/ops-endpoints.js || true)"

if ! $started_something; then
  say "coffer: already running at $(redact_url "$NATS_URL") — nothing to do (npm stop stops it)"
  say "  Metrics and health:"
  say "$OPS_ENDPOINTS"
  exit 0
fi

cat <<MSG

coffer: up at $(redact_url "$NATS_URL") (home: $COFFER_HOME)
  Clients connect as coffer-client with the URL in $COFFER_HOME/nats.url (0600);
  each app as its own NATS user ($COFFER_HOME/nats/users/, README: Transport security).

  Quick start:
    npx coffer status
    npx coffer vault create --name demo
    npx coffer secret set --vault demo -n db-password --value s3cret
    npx coffer secret show --vault demo -n db-password --field value

  Azure Key Vault REST API (unmodified Azure SDKs): https://<vault>.$GATEWAY_DOMAIN:$GATEWAY_PORT
    authority https://$GATEWAY_DOMAIN:$GATEWAY_PORT/$GATEWAY_TENANT, CA file $GATEWAY_CA
    (*.localhost names need a hosts entry, e.g. 127.0.0.1 demo.$GATEWAY_DOMAIN $GATEWAY_DOMAIN; README: Azure SDKs)

  Metrics and health (Prometheus; README: Metrics and health):
$OPS_ENDPOINTS

  Logs: npm run logs        Stop: npm stop
MSG
