#!/usr/bin/env bash
# `npm run logs [-- app…]`: follows the logs of a running Coffer (all parts, or the ones named:
# nats-server, crypto-worker, projector, vault).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

files=()
if (($#)); then
  for name in "$@"; do files+=("$LOG_DIR/$name.log"); done
else
  shopt -s nullglob
  files=("$LOG_DIR"/*.log)
fi
((${#files[@]})) || die "no logs in $LOG_DIR yet (npm start writes them)"
exec tail -n 40 -F "${files[@]}"
