#!/usr/bin/env node
// Prints where each app's operations endpoint is (/metrics, /livez, /readyz), for start.sh, and
// whether it answers /readyz now. Ports and host from the same settings the apps read
// (COFFER_OPS_HOST, COFFER_OPS_PORT_<APP>, COFFER_METRICS: README "Metrics and health").
'use strict';
const { join } = require('node:path');
const http = require('node:http');

const root = join(__dirname, '..', '..');
const { loadConfig, OPS_APPS } = require(join(root, 'dist/libs/config/src/coffer-config.js'));

/** The /readyz status code, or why there is none. */
function readyz(host, port) {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/readyz', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'ready' : `not ready (${res.statusCode})`);
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', (err) => resolve(`not answering (${err.code ?? err.message}; see the app's log)`));
  });
}

(async () => {
  const { ops } = loadConfig();
  const host = ops.host.includes(':') ? `[${ops.host}]` : ops.host;
  const lines = await Promise.all(OPS_APPS.map(async (app) => {
    const port = ops.ports[app];
    if (port === 0) return `    ${app.padEnd(14)} off (COFFER_OPS_PORT_${app.replace('-', '_').toUpperCase()}=0)`;
    return `    ${app.padEnd(14)} http://${host}:${port}/metrics  /livez  /readyz  ${await readyz(ops.host, port)}`;
  }));
  process.stdout.write(`${lines.join('\n')}\n${ops.metrics ? '' : '    (COFFER_METRICS=0: /metrics answers 404)\n'}`);
})().catch((err) => {
  process.stderr.write(`ops-endpoints: ${err.message}\n`);
  process.exit(1);
});
