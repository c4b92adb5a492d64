import { azureBackup, azureDeletedSecret, azureId, azureSecretBundle, cofferBackup } from './azure-secret-shapes';

const attributes = {
  enabled: true, created: '2026-11-28T10:00:00.000Z', updated: '2026-11-28T10:00:01.500Z', exp: '2027-01-01T00:00:00.000Z',
  recoveryLevel: 'Recoverable+Purgeable' as const, recoverableDays: 90,
};
const origin = 'https://demo.vault.localhost:8443';

describe('Azure secret shapes', () => {
  it('ids move to the origin called; times become whole epoch seconds; sequence and name stay Coffer-only', () => {
    const bundle = { id: 'coffer://demo/secrets/db/abc', name: 'db', version: 'abc', value: 'v', sequence: 7, attributes, tags: { a: 'b' }, contentType: 'text/plain' };
    expect(azureSecretBundle(origin, 'demo', bundle)).toEqual({
      value: 'v', id: `${origin}/secrets/db/abc`, contentType: 'text/plain', tags: { a: 'b' },
      attributes: { enabled: true, created: 1795860000, updated: 1795860001, exp: 1798761600, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    });
  });

  it('deleted secrets get a recoveryId under /deletedsecrets', () => {
    const d = azureDeletedSecret(origin, 'demo', {
      id: 'coffer://demo/secrets/db', name: 'db', attributes, recoveryId: 'coffer://demo/deletedsecrets/db',
      deletedDate: '2026-11-28T10:00:00.000Z', scheduledPurgeDate: '2026-12-05T10:00:00.000Z',
    });
    expect(d).toMatchObject({ id: `${origin}/secrets/db`, recoveryId: `${origin}/deletedsecrets/db`, deletedDate: 1795860000, scheduledPurgeDate: 1796464800 });
  });

  it('an id of another vault is left alone; backups survive the SDK base64url decoding', () => {
    expect(azureId(origin, 'demo', 'coffer://other/secrets/x')).toBe('coffer://other/secrets/x');
    const blob = 'coffer-backup-v1.abc-_.DEF';
    expect(cofferBackup(azureBackup(blob))).toBe(blob);
    expect(azureBackup(blob)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
