import { randomBytes } from 'node:crypto';
import { openBlob, parseSealedBlob, sealBlob } from './backup.codec';

// Long and distinctive so that random base64 output cannot contain it by chance.
const planted = 'planted-backup-plaintext-7f3e9c';
const payload = {
  name: 'db',
  versions: [{ version: 'a'.repeat(32), value: planted, attributes: { enabled: true }, created: 'c', updated: 'u' }],
};

const isPayload = (p: unknown): p is typeof payload => typeof p === 'object' && p !== null && 'versions' in p;
const sealBackup = (p: unknown, key: Buffer, wrapped: string) => sealBlob('secret', p, key, wrapped);
const parseSealedBackup = (blob: string) => parseSealedBlob('secret', blob);
const openBackup = (sealed: ReturnType<typeof parseSealedBackup>, key: Buffer) => openBlob('secret', sealed, key, isPayload);

describe('backup codec', () => {
  const key = randomBytes(32);
  it('seals and opens a backup', () => {
    const blob = sealBackup(payload, key, 'd3JhcHBlZA==');
    expect(blob).not.toContain(planted);
    expect(Buffer.from(blob.split('.')[1], 'base64url').toString()).not.toContain(planted);
    const sealed = parseSealedBackup(blob);
    expect(sealed.wrapped).toBe('d3JhcHBlZA==');
    expect(openBackup(sealed, key)).toEqual(payload);
  });
  it('rejects garbage, tampering and the wrong key as InvalidBackup', () => {
    expect(() => parseSealedBackup('hello')).toThrow(expect.objectContaining({ innerCode: 'InvalidBackup' }));
    const sealed = parseSealedBackup(sealBackup(payload, key, 'x'));
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[3] ^= 1;
    expect(() => openBackup({ ...sealed, ct: ct.toString('base64') }, key)).toThrow(expect.objectContaining({ innerCode: 'InvalidBackup' }));
    expect(() => openBackup(sealed, randomBytes(32))).toThrow(expect.objectContaining({ innerCode: 'InvalidBackup' }));
    // The AAD names the kind: a secret backup never opens as a key backup.
    expect(() => openBlob('key', sealed, key, isPayload)).toThrow(expect.objectContaining({ innerCode: 'InvalidBackup' }));
  });
});
