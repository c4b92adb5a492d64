#!/usr/bin/env node
// Waits until the HTTPS gateway answers its OpenID configuration, for start.sh. Exits 0 when ready,
// 1 with the reason (and the tail of its log) when the time is up or the process died.
// Usage: node infra/scripts/wait-gateway.js --port PORT --domain DOMAIN --tenant TENANT --ca FILE [--pid PID] [--log FILE] [--timeout SECONDS]
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const https = require('node:https');
const { failWith, parseArgs, waitUntil } = require('./lib/wait-until');

const args = parseArgs(process.argv.slice(2));
const timeoutMs = Number(args.timeout ?? 30) * 1000;
const pid = args.pid ? Number(args.pid) : undefined;

const fail = failWith('gateway', args.log);

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

waitUntil({ probe, pid, timeoutMs, fail });
