import { CofferClient, CofferRequestError } from '@coffer/client';
import { AuditRecord, AuditStreams, StatusReply } from '@coffer/contracts';
import { connectTo, CofferStack, startCofferStack } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { adminCredentials } from '../auth-helpers';

/** Malformed anonymous requests sent, in waves of WAVE in flight. */
const FLOOD = 20_000;
const WAVE = 500;
const AGGREGATION = { interval: 1_000, perKind: 10, perInterval: 50 };

/**
 * Issue 9, defect 4 (audit flood), against real processes with the client NATS credentials: a
 * flood of malformed anonymous requests leaves a bounded number of records (the rest folded into
 * summary records that still count every request), successful accesses during the flood are each
 * recorded, verification completes clean and resumes from a signed checkpoint, and an audit stream
 * at its limit makes requests fail with AuditStoreFull (never an unaudited success), which `status` shows.
 */
describe('security: audit flood', () => {
  let stack: CofferStack;
  let attacker: NatsConnection;
  let internal: NatsConnection;
  let admin: CofferClient;

  beforeAll(async () => {
    stack = await startCofferStack({
      env: {
        COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '200',
        COFFER_AUDIT_AGGREGATE_INTERVAL_MS: String(AGGREGATION.interval),
        COFFER_AUDIT_AGGREGATE_INDIVIDUAL_PER_KIND: String(AGGREGATION.perKind),
        COFFER_AUDIT_AGGREGATE_INDIVIDUAL_PER_INTERVAL: String(AGGREGATION.perInterval),
      },
    });
    attacker = await connectTo(stack.clientUrl);
    internal = await connectTo(stack.adminUrl);
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 60_000 });
    await admin.vaults.create('flooded');
    await admin.secrets('flooded').set('db', 'value');
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await attacker?.close();
    await internal?.close();
    await stack?.stop();
  });

  const auditCount = async () => (await admin.status()).audit.count ?? 0;
  const chainedAll = async () => {
    const jsm = await internal.jetstreamManager();
    for (;;) {
      const last = (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
      const s = (await internal.request('coffer.internal.audit.status', '{}', { timeout: 5_000 })).json<{ sequence: number; checkpoint: { sequence: number } | null }>();
      if (s.sequence >= last && (s.checkpoint?.sequence ?? 0) >= last) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('folds a flood of malformed anonymous requests into a bounded number of records, each success still recorded individually', async () => {
    const before = await auditCount();
    const started = new Date().toISOString();
    let answered = 0;
    const reads: Promise<unknown>[] = [];
    for (let sent = 0; sent < FLOOD; sent += WAVE) {
      await Promise.all(Array.from({ length: WAVE }, () =>
        attacker.request('coffer.v1.auth.token', Buffer.from('{"clientId":5,"x":'), { timeout: 30_000 }).then(() => answered++, () => undefined)));
      reads.push(admin.secrets('flooded').get('db'));
    }
    expect(answered).toBe(FLOOD);
    const values = await Promise.all(reads);
    expect(values).toHaveLength(FLOOD / WAVE);
    // End the last aggregation interval, then wait for the chain.
    await new Promise((r) => setTimeout(r, AGGREGATION.interval * 2));
    await admin.secrets('flooded').get('db');
    await chainedAll();

    const added = (await auditCount()) - before;
    expect(added).toBeLessThan(FLOOD / 10);
    const noise: AuditRecord[] = [];
    for await (const r of admin.audit.query({ action: 'Coffer/auth/token', outcome: 'failed', since: started })) noise.push(r);
    const summaries = noise.filter((r) => r.count !== undefined);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((s) => s.requestId === 'summary' && s.principal === null && s.lastTime! >= s.time)).toBe(true);
    // Every request is accounted for: individually or in a summary's count.
    expect(noise.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(FLOOD);

    const me = (await admin.auth.whoami()).principal.id;
    const readsRecorded: AuditRecord[] = [];
    for await (const r of admin.audit.query({ principal: me, objectId: '/vaults/flooded/secrets/db', outcome: 'succeeded', since: started })) readsRecorded.push(r);
    expect(readsRecorded.filter((r) => r.action.endsWith('getSecret/action') && r.count === undefined)).toHaveLength(FLOOD / WAVE + 1);
  }, 300_000);

  it('verifies the whole trail in pages with progress, clean, and resumes from the latest signed checkpoint', async () => {
    const pages: number[] = [];
    const whole = await admin.audit.verify({ pageRecords: 50, onProgress: (p) => pages.push(p.lastSequence!) });
    expect(whole).toMatchObject({ ok: true, problems: [] });
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    const resumed = await admin.audit.verify({ fromCheckpoint: 'latest' });
    expect(resumed).toMatchObject({ ok: true, problems: [], fromCheckpoint: { sequence: expect.any(Number) } });
    expect(resumed.checkedRecords).toBeLessThan(whole.checkedRecords);
    const missing = await admin.audit.verify({ fromCheckpoint: 999_999_999 }).catch((e: CofferRequestError) => e);
    expect(missing).toMatchObject({ code: 'BadParameter' });
  }, 180_000);

  it('fails closed when the audit stream is at its limit: AuditStoreFull, never an unaudited success, and status alerts', async () => {
    const jsm = await internal.jetstreamManager();
    const info = await jsm.streams.info(AuditStreams.records.name);
    expect(info.config).toMatchObject({ discard: 'new', max_bytes: expect.any(Number), max_msgs: expect.any(Number) });
    // Near the operator's limit: status warns, requests still work.
    await jsm.streams.update(AuditStreams.records.name, { ...info.config, max_bytes: Math.ceil(info.state.bytes / 0.9) });
    const near = await admin.status();
    expect(near.audit.storage).toMatchObject({ alert: 'near-full' });
    expect(near.audit.storage!.streamBytes.percent).toBeGreaterThanOrEqual(80);
    // At the limit: only a little room is left.
    const now = await jsm.streams.info(AuditStreams.records.name);
    await jsm.streams.update(AuditStreams.records.name, { ...now.config, max_bytes: now.state.bytes + 2048 });
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await admin.secrets('flooded').get('db').then(() => 'ok', (e: CofferRequestError) => `${e.code}/${e.innerCode}`);
      outcomes.push(r);
      if (r !== 'ok') break;
    }
    expect(outcomes[outcomes.length - 1]).toBe('ServiceUnavailable/AuditStoreFull');
    const after = (await jsm.streams.info(AuditStreams.records.name)).state;
    // Nothing old was dropped to make room (discard 'new').
    expect(after.first_seq).toBe(info.state.first_seq);
    for (let i = 0; i < 3; i++) {
      await expect(admin.secrets('flooded').get('db')).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditStoreFull' });
    }
    // Status itself cannot be audited now: it is refused the same way, which is the alert the CLI prints;
    // the audit service reports the full stream.
    await expect(admin.status()).rejects.toMatchObject({ innerCode: 'AuditStoreFull' });
    const audit = (await internal.request('coffer.internal.audit.status', '{}', { timeout: 5_000 })).json<{ storage: StatusReply['audit']['storage'] }>();
    expect(audit.storage).toMatchObject({ alert: 'full' });
    expect(audit.storage!.streamBytes.percent).toBeGreaterThanOrEqual(99);
  }, 120_000);
});
