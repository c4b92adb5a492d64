import { CofferClient, CofferRequestError } from '@coffer/client';
import { AuditRecord, AuditStreams, StatusReply } from '@coffer/contracts';
import { NATS_USERS } from '@coffer/config';
import { connectTo, CofferStack, startCofferStack, until } from '@coffer/testing';
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
  /** coffer-admin: stream updates. */
  let internal: NatsConnection;
  /** coffer-vault: the audit app's internal subjects (its responder replies to the vault's inbox only). */
  let asVault: NatsConnection;
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
    asVault = await connectTo(stack.nats.userUrl(NATS_USERS.vault));
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 60_000 });
    await admin.vaults.create('flooded');
    await admin.secrets('flooded').set('db', 'value');
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await attacker?.close();
    await internal?.close();
    await asVault?.close();
    await stack?.stop();
  });

  const auditCount = async () => (await admin.status()).audit.count ?? 0;
  const chainedAll = async () => {
    const jsm = await internal.jetstreamManager();
    await until('the chain and a checkpoint at the end of the audit stream', async () => {
      const last = (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
      const s = (await asVault.request('coffer.internal.audit.status', '{}', { timeout: 5_000 })).json<{ sequence: number; checkpoint: { sequence: number } | null }>();
      return s.sequence >= last && (s.checkpoint?.sequence ?? 0) >= last;
    }, 120_000, 100);
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
    // The flood's records, anonymous and refused: malformed (failed) or, beyond the anonymous rate
    // limits, Throttled (denied); both kinds fold. Every request is accounted for, individually or in a
    // summary's count, once the last aggregation interval has ended and the chain has caught up.
    const noiseOf = async () => {
      const noise: AuditRecord[] = [];
      for await (const r of admin.audit.query({ action: 'Coffer/auth/token', since: started })) if (r.principal === null) noise.push(r);
      return noise;
    };
    const noise = await until('every flood request in the chained audit trail', async () => {
      await chainedAll();
      const n = await noiseOf();
      return n.reduce((sum, r) => sum + (r.count ?? 1), 0) >= FLOOD ? n : undefined;
    }, 120_000, AGGREGATION.interval / 2);
    expect(noise.reduce((sum, r) => sum + (r.count ?? 1), 0)).toBe(FLOOD);
    expect(noise.every((r) => r.outcome !== 'succeeded')).toBe(true);
    const summaries = noise.filter((r) => r.count !== undefined);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every((s) => s.requestId === 'summary' && s.principal === null && s.lastTime! >= s.time)).toBe(true);
    const added = (await auditCount()) - before;
    expect(added).toBeLessThan(FLOOD / 10);

    const me = (await admin.auth.whoami()).principal.id;
    const readsRecorded: AuditRecord[] = [];
    for await (const r of admin.audit.query({ principal: me, objectId: '/vaults/flooded/secrets/db', outcome: 'succeeded', since: started })) readsRecorded.push(r);
    expect(readsRecorded.filter((r) => r.action.endsWith('getSecret/action') && r.count === undefined)).toHaveLength(FLOOD / WAVE);
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
    const audit = (await asVault.request('coffer.internal.audit.status', '{}', { timeout: 5_000 })).json<{ storage: StatusReply['audit']['storage'] }>();
    expect(audit.storage).toMatchObject({ alert: 'full' });
    expect(audit.storage!.streamBytes.percent).toBeGreaterThanOrEqual(99);
  }, 120_000);
});
