import { CHANGE_EVENT_TYPES, CHANGE_TYPE_PREFIX, DomainEvent, EVENT_VERSIONS } from '@coffer/contracts';
import { toChangeEvents } from './change-events';

const meta = { requestId: 'r-1', occurredAt: '2026-11-28T10:00:00.000Z' };
const ev = (type: string, data: object): DomainEvent => ({ type, version: 1, data, metadata: meta }) as DomainEvent;
const V = 'a'.repeat(32);

describe('toChangeEvents', () => {
  it('maps a new secret version to SecretNewVersionCreated with Event Grid data (epoch seconds)', () => {
    const [change] = toChangeEvents({
      subject: 'coffer.events.demo.secret.db', sequence: 42,
      event: ev('SecretSet', { name: 'db', version: V, value: { ct: 'x' }, attributes: { enabled: true, nbf: '2026-01-01T00:00:00Z', exp: '2027-01-01T00:00:00Z' } }),
    });
    expect(change).toEqual({
      specversion: '1.0', id: '42', source: 'coffer://demo', type: 'Coffer.KeyVault.SecretNewVersionCreated',
      subject: `coffer://demo/secrets/db/${V}`, time: meta.occurredAt, datacontenttype: 'application/json', cofferseq: 42,
      data: { Id: `coffer://demo/secrets/db/${V}`, VaultName: 'demo', ObjectType: 'Secret', ObjectName: 'db', Version: V, NBF: 1767225600, EXP: 1798761600 },
    });
  });

  it('never carries a value, ciphertext or key material', () => {
    const changes = [
      ...toChangeEvents({ subject: 'coffer.events.demo.secret.db', sequence: 1, event: ev('SecretSet', { name: 'db', version: V, value: { ct: 'CIPHERTEXT' }, attributes: { enabled: true } }) }),
      ...toChangeEvents({ subject: 'coffer.events.demo.key.k', sequence: 2, event: ev('KeyCreated', { name: 'k', version: V, publicKey: { kty: 'RSA', n: 'MODULUS', e: 'AQAB' }, attributes: { enabled: true } }) }),
    ];
    expect(JSON.stringify(changes)).not.toMatch(/CIPHERTEXT|MODULUS|AQAB/);
  });

  it('maps keys, lifecycle and objects without versions', () => {
    const types = (type: string, data: object, subject = 'coffer.events.demo.key.k') =>
      toChangeEvents({ subject, sequence: 7, event: ev(type, data) }).map((c) => c.type.slice(CHANGE_TYPE_PREFIX.length));
    expect(types('KeyRotated', { name: 'k', version: V, attributes: { enabled: true } })).toEqual(['KeyNewVersionCreated']);
    expect(types('KeyImported', { name: 'k', version: V, attributes: { enabled: true } })).toEqual(['KeyNewVersionCreated']);
    expect(types('KeyAttributesUpdated', { name: 'k', version: V, attributes: { enabled: false } })).toEqual(['KeyUpdated']);
    expect(types('KeyRotationPolicySet', { name: 'k' })).toEqual(['KeyRotationPolicyChanged']);
    expect(types('KeyPurged', { name: 'k' })).toEqual(['KeyPurged']);
    expect(types('SecretDeleted', { name: 's' }, 'coffer.events.demo.secret.s')).toEqual(['SecretDeleted']);
    expect(types('VaultCreated', { name: 'demo' }, 'coffer.events.demo.vault')).toEqual(['VaultCreated']);
    expect(types('PrincipalCreated', { id: 'p-1' }, 'coffer.events._system.principal.p-1')).toEqual([]);
    const [deleted] = toChangeEvents({ subject: 'coffer.events.demo.secret.s', sequence: 9, event: ev('SecretDeleted', { name: 's' }) });
    expect(deleted.subject).toBe('coffer://demo/secrets/s');
    expect(deleted.data).toEqual({ Id: 'coffer://demo/secrets/s', VaultName: 'demo', ObjectType: 'Secret', ObjectName: 's' });
  });

  it('attributes role assignment changes to the vault of their scope, with VaultAccessPolicyChanged', () => {
    const created = toChangeEvents({
      subject: 'coffer.events._system.roleassignment.ra-1', sequence: 5,
      event: ev('RoleAssignmentCreated', { id: 'ra-1', principalId: 'p-1', role: 'Key Vault Reader', scope: '/vaults/demo/secrets/db' }),
    });
    expect(created.map((c) => [c.id, c.source, c.type])).toEqual([
      ['5', 'coffer://demo', 'Coffer.KeyVault.RoleAssignmentCreated'],
      ['5.1', 'coffer://demo', 'Coffer.KeyVault.VaultAccessPolicyChanged'],
    ]);
    const root = toChangeEvents({ subject: 'coffer.events._system.roleassignment.ra-2', sequence: 6, event: ev('RoleAssignmentDeleted', { id: 'ra-2' }) });
    expect(root[0]).toMatchObject({ source: 'coffer://_system', data: { ObjectType: 'RoleAssignment', ObjectName: 'ra-2' } });
  });

  it('is deterministic: the same log event always yields the same changes', () => {
    const logged = { subject: 'coffer.events.demo.secret.db', sequence: 3, event: ev('SecretSet', { name: 'db', version: V, attributes: { enabled: true } }) };
    expect(toChangeEvents(logged)).toEqual(toChangeEvents(logged));
  });

  it('has a change type for every event type it emits', () => {
    const all = Object.keys(EVENT_VERSIONS).flatMap((type) =>
      toChangeEvents({ subject: 'coffer.events.demo.x.n', sequence: 1, event: ev(type, { name: 'n', id: 'ra-1', version: V, attributes: {}, certificate: { version: V, attributes: {} } }) }));
    for (const change of all) expect(CHANGE_EVENT_TYPES).toContain(change.type.slice(CHANGE_TYPE_PREFIX.length));
  });
});
