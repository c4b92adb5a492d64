// The waiting both start-up probes share (wait-ready.js on NATS, wait-gateway.js over HTTPS):
// `--name value` arguments, a probe every 250 ms until it reports ready, and on failure the reason
// plus the tail of the part's log, exit 1.
'use strict';
const { existsSync, readFileSync } = require('node:fs');

/** `--name value` pairs of argv as an object. */
function parseArgs(argv) {
  return Object.fromEntries(argv.reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function logTail(file, lines = 25) {
  if (!file || !existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `\n--- last lines of ${file} ---\n${tail}\n---`;
}

/** Prints `coffer: error: <what> <reason>` with the log's tail and exits 1. */
function failWith(what, log) {
  return (reason) => {
    const where = log ? ` (log: ${log})` : '';
    process.stderr.write(`coffer: error: ${what} ${reason}${where}${logTail(log)}\n`);
    process.exit(1);
  };
}

/**
 * Calls `probe()` (undefined when ready, else a short reason) until it is ready, the process `pid`
 * died or `timeoutMs` passed; then exits 0, or fails with the last reason.
 */
async function waitUntil({ probe, pid, timeoutMs, fail }) {
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (pid !== undefined && !alive(pid)) fail(`exited during start-up (pid ${pid})`);
      const reason = await probe();
      if (reason === undefined) process.exit(0);
      if (Date.now() > deadline) fail(`not ready after ${timeoutMs / 1000}s: ${reason}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    fail(String(err));
  }
}

module.exports = { parseArgs, failWith, waitUntil };
