import { VaultRow } from '@coffer/read-model';
import { KeyVersionView, toDeletedKeyBundle, toJwk, toKeyBundle, toKeyItem, toRotationPolicy, viewOfKeyRow } from './key.mapper';

const vault: VaultRow = { name: 'prod', kekId: 'k', retentionDays: 30, purgeProtection: true, created: 'c', updated: 'u', sequence: 1 };
const V = 'a'.repeat(32);
const ec: KeyVersionView = {
  version: V, hsmKeyId: `prod/sig/${V}`, kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'], publicKey: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
  attributes: { enabled: true, exp: '2030-01-01T00:00:00.000Z' }, tags: { t: '1' }, created: 'c1', updated: 'u1',
};

describe('key mapping', () => {
  it('shows the public half as an Azure JWK with a coffer:// kid; oct keys show no material', () => {
    expect(toJwk('prod', 'sig', ec)).toEqual({ kid: `coffer://prod/keys/sig/${V}`, kty: 'EC-HSM', key_ops: ['sign', 'verify'], crv: 'P-256', x: 'eA', y: 'eQ' });
    const rsa = { ...ec, kty: 'RSA-HSM' as const, crv: undefined, publicKey: { kty: 'RSA' as const, n: 'bg', e: 'AQAB' } };
    expect(toJwk('prod', 'r', rsa)).toEqual({ kid: `coffer://prod/keys/r/${V}`, kty: 'RSA-HSM', key_ops: ['sign', 'verify'], n: 'bg', e: 'AQAB' });
    expect(Object.keys(toJwk('prod', 'a', { ...ec, kty: 'oct-HSM', publicKey: { kty: 'oct' } })).sort()).toEqual(['key_ops', 'kid', 'kty']);
  });

  it('never shows the HSM id; attributes say exportable false and the vault recovery level', () => {
    const bundle = toKeyBundle(vault, 'sig', ec, 7);
    expect(JSON.stringify(bundle)).not.toContain('prod/sig/');
    expect(bundle).toMatchObject({
      name: 'sig', version: V, sequence: 7, tags: { t: '1' },
      attributes: { enabled: true, exp: '2030-01-01T00:00:00.000Z', created: 'c1', updated: 'u1', recoveryLevel: 'Recoverable', recoverableDays: 30, exportable: false },
    });
    expect(toKeyItem(vault, 'sig', ec, false)).toMatchObject({ kid: 'coffer://prod/keys/sig', kty: 'EC-HSM' });
    expect(toKeyItem(vault, 'sig', ec, true)).toMatchObject({ kid: `coffer://prod/keys/sig/${V}`, version: V });
    const head = { vault: 'prod', name: 'sig', status: 'deleted' as const, currentVersion: V, sequence: 9, versionCount: 1, created: 'c', updated: 'u', deletedDate: 'd', scheduledPurgeDate: 's', recoveryId: 'r', managedBy: null };
    expect(toDeletedKeyBundle(vault, head, ec)).toMatchObject({ recoveryId: 'r', deletedDate: 'd', scheduledPurgeDate: 's', sequence: 9 });
  });

  it('reads a version row back into the record it was projected from', () => {
    const row = {
      vault: 'prod', name: 'sig', version: V, ordinal: 1, hsmKeyId: ec.hsmKeyId, kty: 'EC-HSM', keySize: null, crv: 'P-256',
      keyOps: JSON.stringify(ec.keyOps), publicKey: JSON.stringify(ec.publicKey), enabled: true, nbf: null, exp: ec.attributes.exp!,
      tags: JSON.stringify(ec.tags), created: 'c1', updated: 'u1', nearExpiryNotified: null, expiredNotified: null,
    };
    expect(viewOfKeyRow(row)).toEqual(ec);
  });

  it('gives a key without a rotation policy an empty one', () => {
    expect(toRotationPolicy('prod', 'sig', null)).toEqual({ id: 'coffer://prod/keys/sig/rotationpolicy', lifetimeActions: [], attributes: {} });
    expect(toRotationPolicy('prod', 'sig', { lifetimeActions: [], expiryTime: 'P1Y', created: 'c', updated: 'u' }).attributes).toEqual({ expiryTime: 'P1Y', created: 'c', updated: 'u' });
  });
});
