/**
 * The honest transport ceilings: a NATS responder that, for each request, does the work a vault
 * cannot skip before it replies — an audit record group-committed to a JetStream stream by the
 * vault's own JetStreamAuditSink (same batching, same ack check), and in `append` mode first an
 * event appended with a Nats-Msg-Id (a set's append) — and replies after the acks.
 * Records go to a scratch stream configured like COFFER_AUDIT (no audit app consumes it).
 * Usage: node dist/bench/audited-echo-responder.js <nats-url> <subject> <echo|append>; prints "ready".
 */
import { randomBytes } from 'node:crypto';
import { auditStreamConfigs } from '@coffer/audit';
import { loadConfig, natsClientOptions } from '@coffer/config';
import { AuditRecord } from '@coffer/contracts';
import { connect, StorageType } from 'nats';
import { AUDITED_FAILED } from './ceilings';
import { AUDIT_BATCHING, AUDIT_PUBLISH_TIMEOUT_MS, JetStreamAuditSink } from '../apps/vault/src/audit/jetstream-audit.sink';

const AUDIT_STREAM = 'BENCH_AUDIT';
const EVENTS_STREAM = 'BENCH_EVENTS';
/** Coffer writes a set over many secrets (one subject each): as many as the secrets bench's set names. */
const EVENT_SUBJECTS = 256;
const EVENT_PAYLOAD = Buffer.from(JSON.stringify({ type: 'SecretSet', data: randomBytes(384).toString('base64') }));

async function main(): Promise<void> {
  const [url, subject, mode] = process.argv.slice(2);
  if (!url || !subject || (mode !== 'echo' && mode !== 'append')) throw new Error('usage: audited-echo-responder <nats-url> <subject> <echo|append>');
  const nc = await connect({ ...natsClientOptions(url), name: `coffer-bench-audited-${mode}` });
  const jsm = await nc.jetstreamManager();
  const [auditConfig] = auditStreamConfigs(loadConfig({}).audit);
  await jsm.streams.delete(AUDIT_STREAM).catch(() => false);
  await jsm.streams.add({ ...auditConfig, name: AUDIT_STREAM, subjects: ['bench.audit.>'] });
  if (mode === 'append') {
    await jsm.streams.delete(EVENTS_STREAM).catch(() => false);
    await jsm.streams.add({ name: EVENTS_STREAM, subjects: ['bench.events.>'], storage: StorageType.File });
  }
  const sink = new JetStreamAuditSink(nc, AUDIT_PUBLISH_TIMEOUT_MS, AUDIT_BATCHING, {
    target: { name: AUDIT_STREAM, subject: (scope) => `bench.audit.${scope}` },
  });
  const js = nc.jetstream();
  const prefix = randomBytes(6).toString('hex');
  let n = 0;

  const handle = async (): Promise<void> => {
    const id = `${prefix}-${n++}`;
    const name = `bench-${n % EVENT_SUBJECTS}`;
    if (mode === 'append') await js.publish(`bench.events.${name}`, EVENT_PAYLOAD, { msgID: id });
    // A secrets get's or set's record, as the vault writes it (one scope per vault: one group-commit queue).
    const record: AuditRecord = {
      time: new Date().toISOString(), requestId: id, principal: '00000000-0000-4000-8000-000000000001',
      action: `Microsoft.KeyVault/vaults/secrets/${mode === 'append' ? 'setSecret' : 'getSecret'}/action`,
      objectId: `/vaults/bench/secrets/${name}`, outcome: 'succeeded', subject: `coffer.v1.vault.bench.secret.${mode === 'append' ? 'set' : 'get'}`,
    };
    await sink.record(record);
  };
  nc.subscribe(subject, {
    queue: `bench-audited-${mode}`,
    callback: (err, msg) => {
      if (err) return;
      handle().then(() => msg.respond(msg.data), (e: Error) => msg.respond(Buffer.from(`${AUDITED_FAILED}${e.message}`)));
    },
  });
  await nc.flush();
  process.stdout.write('ready\n');
  // The client has stopped sending by now: remove the scratch streams, then leave.
  const shutdown = () =>
    void (async () => {
      for (const s of [AUDIT_STREAM, EVENTS_STREAM]) await jsm.streams.delete(s).catch(() => false);
      await nc.drain().catch(() => undefined);
    })().finally(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  process.stderr.write(`audited-echo-responder: ${err}\n`);
  process.exit(1);
});
