import { AuditRecord, CofferError } from '@coffer/contracts';
import { decodeAuditMessage } from '@coffer/audit';
import { NatsConnection } from 'nats';
import { auditScopeOf, JetStreamAuditSink } from './jetstream-audit.sink';

const rec = (objectId: string, requestId = 'r'): AuditRecord => ({
  time: '2025-01-01T00:00:00.000Z', requestId, principal: null, action: 'a', objectId, outcome: 'unauthenticated', subject: 's',
});

type Publish = (subject: string, data: string) => Promise<unknown>;
function fakeNc(publish: Publish): NatsConnection {
  return { jetstream: () => ({ publish }) } as unknown as NatsConnection;
}

/** A publish whose acks the test releases (or fails) one message at a time. */
function heldPublish() {
  const calls: { subject: string; data: string; ack: () => void; fail: (e: Error) => void }[] = [];
  const publish: Publish = (subject, data) =>
    new Promise((resolve, reject) => calls.push({ subject, data, ack: () => resolve({ stream: 'COFFER_AUDIT', seq: calls.length }), fail: reject }));
  return { calls, publish };
}

const settled = async <T>(p: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('JetStreamAuditSink', () => {
  it('scopes records by vault, else _system', () => {
    expect(auditScopeOf(rec('/vaults/prod/secrets/db'))).toBe('prod');
    expect(auditScopeOf(rec('/vaults/prod'))).toBe('prod');
    expect(auditScopeOf(rec('/'))).toBe('_system');
    expect(auditScopeOf(rec('/vaults/no.dots/secrets/x'))).toBe('_system');
    expect(auditScopeOf(rec('/principals/p-1'))).toBe('_system');
  });

  it('publishes a record alone at once, as a batch of one on its scope subject', async () => {
    const calls: [string, string][] = [];
    const sink = new JetStreamAuditSink(fakeNc(async (s, d) => (calls.push([s, d]), { stream: 'COFFER_AUDIT', seq: 1 })));
    await sink.record(rec('/vaults/prod/secrets/db'));
    expect(calls).toEqual([['coffer.audit.records.prod', JSON.stringify([rec('/vaults/prod/secrets/db')])]]);
    expect(decodeAuditMessage(Buffer.from(calls[0][1]))).toEqual([rec('/vaults/prod/secrets/db')]);
  });

  it('group-commits: records arriving while a message is in flight go together in the next one, each resolving with its ack', async () => {
    const { calls, publish } = heldPublish();
    const sink = new JetStreamAuditSink(fakeNc(publish));
    const first = sink.record(rec('/vaults/prod/secrets/a', 'r1'));
    const rest = [2, 3, 4].map((i) => sink.record(rec('/vaults/prod/secrets/a', `r${i}`)));
    expect(calls).toHaveLength(1);
    expect(await settled(first)).toBe('pending');
    calls[0].ack();
    expect(await settled(first)).toBe('resolved');
    // Not acknowledged yet: none of the group has resolved (no reply before the record is persisted).
    expect(calls).toHaveLength(2);
    expect(decodeAuditMessage(Buffer.from(calls[1].data)).map((r) => r.requestId)).toEqual(['r2', 'r3', 'r4']);
    expect(await Promise.all(rest.map(settled))).toEqual(['pending', 'pending', 'pending']);
    calls[1].ack();
    expect(await Promise.all(rest.map(settled))).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('fails every record of a message whose publish fails, and carries on with the next group', async () => {
    const { calls, publish } = heldPublish();
    const sink = new JetStreamAuditSink(fakeNc(publish));
    const first = sink.record(rec('/', 'r1'));
    const group = [sink.record(rec('/', 'r2')), sink.record(rec('/', 'r3'))];
    calls[0].ack();
    await first;
    const later = (async () => {
      await new Promise((r) => setImmediate(r));
      return sink.record(rec('/', 'r4'));
    })();
    calls[1].fail(new Error('timeout'));
    for (const p of group) await expect(p).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
    await new Promise((r) => setImmediate(r));
    expect(decodeAuditMessage(Buffer.from(calls[2].data)).map((r) => r.requestId)).toEqual(['r4']);
    calls[2].ack();
    await expect(later).resolves.toBeUndefined();
  });

  it('keeps scopes apart and bounds a message by records and bytes', async () => {
    const { calls, publish } = heldPublish();
    const sink = new JetStreamAuditSink(fakeNc(publish), 1000, { maxInFlight: 1, maxRecords: 2, maxBytes: 10_000 });
    const all = [sink.record(rec('/vaults/a1x', 'a0')), sink.record(rec('/vaults/b1x', 'b0'))];
    all.push(...[1, 2, 3].map((i) => sink.record(rec('/vaults/a1x', `a${i}`))));
    expect(calls.map((c) => c.subject)).toEqual(['coffer.audit.records.a1x', 'coffer.audit.records.b1x']);
    calls[0].ack();
    calls[1].ack();
    await new Promise((r) => setImmediate(r));
    calls[2].ack();
    await new Promise((r) => setImmediate(r));
    calls[3].ack();
    await Promise.all(all);
    expect(calls.slice(2).map((c) => decodeAuditMessage(Buffer.from(c.data)).map((r) => r.requestId))).toEqual([['a1', 'a2'], ['a3']]);

    const small = heldPublish();
    const bytes = JSON.stringify(rec('/', 'x0')).length;
    const bounded = new JetStreamAuditSink(fakeNc(small.publish), 1000, { maxInFlight: 1, maxRecords: 100, maxBytes: 2 * bytes + 4 });
    const waits = [0, 1, 2, 3].map((i) => bounded.record(rec('/', `x${i}`)));
    small.calls[0].ack();
    await new Promise((r) => setImmediate(r));
    expect(decodeAuditMessage(Buffer.from(small.calls[1].data))).toHaveLength(2);
    small.calls[1].ack();
    await new Promise((r) => setImmediate(r));
    small.calls[2].ack();
    await Promise.all(waits);
  });

  it('rejects with ServiceUnavailable/AuditUnavailable on failure or an ack from another stream', async () => {
    const failing = new JetStreamAuditSink(fakeNc(async () => Promise.reject(new Error('503'))));
    await expect(failing.record(rec('/'))).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
    const elsewhere = new JetStreamAuditSink(fakeNc(async () => ({ stream: 'OTHER', seq: 1 })));
    const err = await elsewhere.record(rec('/')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).message).not.toContain('OTHER');
  });
});

describe('JetStreamAuditSink aggregation and limits', () => {
  const anon = (i: number): AuditRecord => ({ ...rec('/', `x${i}`), outcome: 'failed', errorCode: 'BadParameter' });
  it('writes anonymous noise past the quota as one summary per interval; successes always individually', async () => {
    const calls: string[] = [];
    let now = 0;
    const sink = new JetStreamAuditSink(fakeNc(async (_s, d) => (calls.push(d), { stream: 'COFFER_AUDIT', seq: calls.length })), 1000, undefined, {
      aggregation: { intervalMs: 100_000, individualPerKind: 3, individualPerInterval: 100, maxKinds: 10 }, now: () => now,
    });
    for (let i = 0; i < 100; i++) await sink.record(anon(i));
    await sink.record({ ...rec('/', 'ok'), outcome: 'succeeded', principal: 'p-1' });
    const written = () => calls.flatMap((c) => decodeAuditMessage(Buffer.from(c)));
    expect(written().map((r) => r.requestId)).toEqual(['x0', 'x1', 'x2', 'ok']);
    now = 100_000;
    await sink.flushSummaries();
    expect(written().slice(4)).toEqual([expect.objectContaining({ requestId: 'summary', count: 97, outcome: 'failed', errorCode: 'BadParameter' })]);
    await sink.close();
  });

  it('fails with AuditStoreFull when the stream refuses the message or the audit app reports its store full', async () => {
    const full = Object.assign(new Error('maximum bytes exceeded'), { api_error: { code: 503, err_code: 10077, description: 'maximum bytes exceeded' } });
    const sink = new JetStreamAuditSink(fakeNc(async () => Promise.reject(full)));
    await expect(sink.record(rec('/'))).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditStoreFull' });
    const blocked = new JetStreamAuditSink(fakeNc(async () => ({ stream: 'COFFER_AUDIT', seq: 1 })), 1000, undefined, { capacity: { full: () => true } });
    await expect(blocked.record({ ...rec('/'), outcome: 'succeeded', principal: 'p-1' })).rejects.toMatchObject({ innerCode: 'AuditStoreFull' });
  });

  it('writes to another target when given one (the benchmark\'s audited echo) and still insists on its ack', async () => {
    const calls: string[] = [];
    const target = { name: 'BENCH_AUDIT', subject: (scope: string) => `bench.audit.${scope}` };
    const sink = new JetStreamAuditSink(fakeNc(async (s) => (calls.push(s), { stream: 'BENCH_AUDIT', seq: 1 })), 1000, undefined, { target });
    await sink.record(rec('/vaults/prod/secrets/db'));
    expect(calls).toEqual(['bench.audit.prod']);
    const wrong = new JetStreamAuditSink(fakeNc(async () => ({ stream: 'COFFER_AUDIT', seq: 1 })), 1000, undefined, { target });
    await expect(wrong.record(rec('/'))).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
  });
});
