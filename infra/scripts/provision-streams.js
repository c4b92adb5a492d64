#!/usr/bin/env node
// start.sh's provisioning step, before any app starts: as the admin NATS user (COFFER_NATS_USER /
// _PASSWORD(_FILE), which no app uses), creates Coffer's streams with deny_purge/deny_delete, or turns
// those on for streams an older Coffer made (apps may not update streams; nats-server never lets an
// update turn them off again), and gives the audit streams the configured limits (COFFER_AUDIT_*_MAX_*). Usage: node infra/scripts/provision-streams.js --url URL
'use strict';
const { join } = require('node:path');
const { connect } = require('nats');

const root = join(__dirname, '..', '..');
const { loadConfig, natsConnectOptions } = require(join(root, 'dist/libs/config/src/coffer-config.js'));
const { cofferStreamConfigs, provisionStreams } = require(join(root, 'dist/libs/event-store/src/index.js'));
const { auditStreamConfigs } = require(join(root, 'dist/libs/audit/src/audit-streams.js'));

async function main() {
  const i = process.argv.indexOf('--url');
  const url = i > 0 ? process.argv[i + 1] : undefined;
  if (!url) throw new Error('usage: provision-streams.js --url URL');
  const config = loadConfig();
  const nc = await connect({ ...natsConnectOptions({ natsUrl: url, nats: config.nats }, 'coffer-provision'), reconnect: false, timeout: 5000 });
  try {
    const report = await provisionStreams(await nc.jetstreamManager(), [...cofferStreamConfigs(config.dedupeWindowMs), ...auditStreamConfigs(config.audit)], config.streamReplicas);
    if (report.created.length) process.stdout.write(`coffer: created streams ${report.created.join(', ')} (deny purge/delete)\n`);
    if (report.upgraded.length) process.stdout.write(`coffer: protected existing streams ${report.upgraded.join(', ')} (deny purge/delete)\n`);
    if (report.limited.length) process.stdout.write(`coffer: applied the configured limits to ${report.limited.join(', ')} (max bytes/messages, discard new)\n`);
  } finally {
    await nc.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`coffer: error: stream provisioning failed: ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  },
);
