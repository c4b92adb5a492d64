import { AuditRecord, CofferError } from '@coffer/contracts';
import { NatsConnection } from 'nats';
import { auditScopeOf, JetStreamAuditSink } from './jetstream-audit.sink';

const rec = (objectId: string): AuditRecord => ({
  time: '2025-01-01T00:00:00.000Z', requestId: 'r', principal: null, action: 'a', objectId, outcome: 'unauthenticated', subject: 's',
});

function fakeNc(publish: (subject: string, data: string) => Promise<unknown>): NatsConnection {
  return { jetstream: () => ({ publish }) } as unknown as NatsConnection;
}

describe('JetStreamAuditSink', () => {
  it('scopes records by vault, else _system', () => {
    expect(auditScopeOf(rec('/vaults/prod/secrets/db'))).toBe('prod');
    expect(auditScopeOf(rec('/vaults/prod'))).toBe('prod');
    expect(auditScopeOf(rec('/'))).toBe('_system');
    expect(auditScopeOf(rec('/vaults/no.dots/secrets/x'))).toBe('_system');
    expect(auditScopeOf(rec('/principals/p-1'))).toBe('_system');
  });

  it('publishes the record as JSON on its scope subject', async () => {
    const calls: [string, string][] = [];
    const sink = new JetStreamAuditSink(fakeNc(async (s, d) => (calls.push([s, d]), { stream: 'COFFER_AUDIT', seq: 1 })));
    await sink.record(rec('/vaults/prod/secrets/db'));
    expect(calls).toEqual([['coffer.audit.records.prod', JSON.stringify(rec('/vaults/prod/secrets/db'))]]);
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
