#!/usr/bin/env node
// Waits until the HTTPS gateway answers its OpenID configuration, for start.sh. Exits 0 when ready,
// 1 with the reason (and the tail of its log) when the time is up or the process died.
// Usage: node infra/scripts/wait-gateway.js --port PORT --domain DOMAIN --tenant TENANT --ca FILE [--pid PID] [--log FILE] [--timeout SECONDS]
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const https = require('node:https');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const timeoutMs = Number(args.timeout ?? 30) * 1000;
const pid = args.pid ? Number(args.pid) : undefined;

function fail(reason) {
  const tail = args.log && existsSync(args.log) ? `\n--- last lines of ${args.log} ---\n${readFileSync(args.log, 'utf8').trimEnd().split('\n').slice(-25).join('\n')}\n---` : '';
  process.stderr.write(`coffer: error: gateway ${reason}${tail}\n`);
  process.exit(1);
}

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}

/** One GET of the authority's configuration, over TLS checked against the CA, the host name resolved to 127.0.0.1 here. */
function probe() {
  return new Promise((resolve) => {
    const req = https.get({
      host: '127.0.0.1', port: Number(args.port), servername: args.domain, path: `/${args.tenant}/v2.0/.well-known/openid-configuration`,
      headers: { host: `${args.domain}:${args.port}` }, ca: existsSync(args.ca) ? readFileSync(args.ca) : undefined, timeout: 2000,
    }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `answered ${res.statusCode}`);
    });
    req.on('error', (err) => resolve(err.message));
    req.on('timeout', () => req.destroy(new Error('timed out')));
  });
}

async function main() {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pid !== undefined && !alive(pid)) fail(`exited during start-up (pid ${pid})`);
    const reason = await probe();
    if (reason === undefined) return;
    if (Date.now() > deadline) fail(`not ready after ${timeoutMs / 1000}s: ${reason}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

main().then(() => process.exit(0), (err) => fail(String(err)));
