#!/usr/bin/env node
// Waits until one part of a Coffer answers on NATS, for start.sh. Exits 0 when ready, 1 with the
// reason (and the tail of the part's log) when the time is up or the process died.
// Usage: node infra/scripts/wait-ready.js --check nats|crypto-worker|projector|vault --url URL
//          [--pid PID] [--log FILE] [--timeout SECONDS]
// Connects as the apps do: credentials and TLS from COFFER_NATS_USER/_PASSWORD(_FILE)/_TOKEN and COFFER_NATS_TLS_*.
'use strict';
const { join } = require('node:path');
const { connect, JSONCodec } = require('nats');
const { failWith, parseArgs, waitUntil } = require('./lib/wait-until');

const root = join(__dirname, '..', '..');
const { Subjects, InternalSubjects } = require(join(root, 'dist/libs/contracts/src/subjects.js'));
const { SchedulerSubjects } = require(join(root, 'dist/libs/contracts/src/lifecycle/scheduler-subjects.js'));
// Credentials and TLS as the apps have them (COFFER_NATS_USER/_PASSWORD(_FILE), COFFER_NATS_TLS_*).
const { loadConfig, natsConnectOptions } = require(join(root, 'dist/libs/config/src/coffer-config.js'));

const args = parseArgs(process.argv.slice(2));
const check = args.check;
const url = args.url;
const pid = args.pid ? Number(args.pid) : undefined;
const timeoutMs = Number(args.timeout ?? 30) * 1000;
const jc = JSONCodec();

/** Each check resolves to undefined when ready, or a short reason why not yet. */
const checks = {
  nats: async (nc) => {
    await nc.jetstreamManager();
  },
  'crypto-worker': async (nc) => okReply(await request(nc, InternalSubjects.crypto('status'))),
  projector: async (nc) => okReply(await request(nc, InternalSubjects.projectorStatus)),
  audit: async (nc) => okReply(await request(nc, InternalSubjects.audit('status'))),
  scheduler: async (nc) => okReply(await request(nc, SchedulerSubjects.status)),
  vault: async (nc) => {
    const reply = await request(nc, Subjects.status);
    const notOk = ['vault', 'cryptoWorker', 'projector', 'audit'].filter((part) => reply?.[part]?.ok !== true);
    return notOk.length ? `status reports not ok: ${notOk.join(', ')} ${JSON.stringify(reply)}` : undefined;
  },
};

async function request(nc, subject) {
  const msg = await nc.request(subject, jc.encode({}), { timeout: 2000 });
  return jc.decode(msg.data);
}

/** An internal status is ready when it reports no error (the projector's has no `ok` field). */
function okReply(reply) {
  return reply && reply.error === undefined && reply.ok !== false ? undefined : `replied ${JSON.stringify(reply)}`;
}

const fail = failWith(check, args.log);

if (!checks[check] || !url) fail(`usage: wait-ready.js --check ${Object.keys(checks).join('|')} --url URL`);

/** One connection as the apps make it, one check, closed again: undefined when ready, else why not. */
async function probe() {
  let nc;
  try {
    nc = await connect({ ...natsConnectOptions({ natsUrl: url, nats: loadConfig().nats }), reconnect: false, timeout: 1000 });
    return await checks[check](nc);
  } catch (err) {
    return err && err.code === '503' ? 'has no responder yet' : String(err && err.message ? err.message : err);
  } finally {
    if (nc) await nc.close().catch(() => undefined);
  }
}

waitUntil({ probe, pid, timeoutMs, fail });
