#!/usr/bin/env bash
# `npm run chaos -- [--scenario NAME]... [--seconds N] [--json]`: setup, then the fault-injection suite from dist/chaos.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

bash infra/scripts/setup.sh >&2
exec node dist/chaos/main.js "$@"
