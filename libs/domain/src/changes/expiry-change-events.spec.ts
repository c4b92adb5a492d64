import { DomainEvent } from '@coffer/contracts';
import { toChangeEvents } from './change-events';

const V = 'a'.repeat(32);
const meta = { requestId: 'sched-x', occurredAt: '2030-01-05T00:00:00.000Z' };
const notice = (type: 'SecretExpiryNotified' | 'KeyExpiryNotified', kind: string): DomainEvent =>
  ({ type, version: 1, metadata: meta, data: { name: 'n', version: V, kind, nbf: '2029-01-01T00:00:00.000Z', exp: '2030-02-01T00:00:00.000Z', notified: meta.occurredAt } }) as DomainEvent;

describe('expiry notices in the change feed', () => {
  it.each([
    ['SecretExpiryNotified', 'NearExpiry', 'secret', 'SecretNearExpiry', 'Secret', 'secrets'],
    ['SecretExpiryNotified', 'Expired', 'secret', 'SecretExpired', 'Secret', 'secrets'],
    ['KeyExpiryNotified', 'NearExpiry', 'key', 'KeyNearExpiry', 'Key', 'keys'],
    ['KeyExpiryNotified', 'Expired', 'key', 'KeyExpired', 'Key', 'keys'],
  ] as const)('%s %s → %s with Version, NBF, EXP', (type, kind, kindToken, changeType, objectType, path) => {
    const [change] = toChangeEvents({ subject: `coffer.events.demo.${kindToken}.n`, sequence: 12, event: notice(type, kind) });
    expect(change).toMatchObject({
      type: `Coffer.KeyVault.${changeType}`, subject: `coffer://demo/${path}/n/${V}`, time: meta.occurredAt,
      data: { VaultName: 'demo', ObjectType: objectType, ObjectName: 'n', Version: V, NBF: 1861920000, EXP: 1896134400 },
    });
  });

  it('CertificateExpiryNotified → CertificateNearExpiry with Version, NBF, EXP and the contacts it is addressed to', () => {
    const event = {
      type: 'CertificateExpiryNotified', version: 1, metadata: meta,
      data: { name: 'n', version: V, kind: 'NearExpiry', nbf: '2029-01-01T00:00:00.000Z', exp: '2030-02-01T00:00:00.000Z', notified: meta.occurredAt, contacts: ['ops@example.com'] },
    } as DomainEvent;
    const changes = toChangeEvents({ subject: 'coffer.events.demo.certificate.n', sequence: 13, event });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      type: 'Coffer.KeyVault.CertificateNearExpiry', subject: `coffer://demo/certificates/n/${V}`,
      data: { VaultName: 'demo', ObjectType: 'Certificate', ObjectName: 'n', Version: V, NBF: 1861920000, EXP: 1896134400, Contacts: ['ops@example.com'] },
    });
  });
});
