#!/usr/bin/env bash
# `npm run bench -- <name> [--seconds N] [--json]`: setup, then the named benchmark from dist/bench.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

bash infra/scripts/setup.sh >&2
exec node dist/bench/main.js "$@"
