#!/usr/bin/env bash
# `npm test [-- jest args]`: setup (no HSM token: tests make throwaway ones), the guard rails
# (npm run lint), the unit tests, then the integration and end-to-end tests in band. Extra arguments
# go to both jest runs.
# Ends with one summary line ("tests: N passed, N failed, N skipped") and exits non-zero on failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

bash infra/scripts/setup.sh

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

status=0
say "coffer test: guard rails (ESLint, dependency rules)"
npm run --silent lint || { status=1; say "coffer test: guard rails FAILED (npm run lint)"; }
say "coffer test: unit tests"
npx jest --selectProjects unit --passWithNoTests --json --outputFile="$results/unit.json" "$@" || status=1
say "coffer test: integration and end-to-end tests"
npx jest --selectProjects integration e2e --runInBand --passWithNoTests --json --outputFile="$results/integration.json" "$@" || status=1

# Counts from both runs; a suite that failed to load counts as one failure, so it cannot hide.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    if (!fs.existsSync(file)) { failed += 1; console.error(`coffer test: no results from ${file} (jest did not finish)`); continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed ? 1 : 0);
' "$results/unit.json" "$results/integration.json" || status=1

exit "$status"
