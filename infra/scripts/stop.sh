#!/usr/bin/env bash
# `npm stop`: stops what start.sh started (apps first, then the embedded nats-server): SIGTERM,
# then SIGKILL after COFFER_STOP_TIMEOUT seconds (default 10). Safe to run when nothing runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

grace="${COFFER_STOP_TIMEOUT:-10}"
stop_pid_file "$RUN_DIR/gateway.pid" dist/apps/gateway/src/main.js "$grace" gateway
for ((i = ${#COFFER_APPS[@]} - 1; i >= 0; i--)); do
  app="${COFFER_APPS[$i]}"
  stop_pid_file "$RUN_DIR/$app.pid" "dist/apps/$app/src/main.js" "$grace" "$app"
done

if [[ -f "$RUN_DIR/nats-server.pid" ]]; then
  stop_pid_file "$RUN_DIR/nats-server.pid" nats-server "$grace" nats-server
  # The next start may pick another port; a stale URL would send the CLI to the wrong place.
  rm -f "$COFFER_HOME/nats.url"
fi
say "coffer: stopped"
