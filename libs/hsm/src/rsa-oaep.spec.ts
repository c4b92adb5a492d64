import { constants, createHash, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { HsmErrorCodes } from './hsm.errors';
import { mgf1, oaepDecode } from './rsa-oaep';

describe('oaepDecode', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** What CKM_RSA_X_509 returns: the padded block, no unpadding. */
  const rawDecrypt = (ciphertext: Buffer) => privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  const encrypt = (plaintext: Buffer, oaepHash: string) => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);

  it.each(['sha256', 'sha1'] as const)('recovers what node:crypto encrypted with OAEP-%s', (hash) => {
    for (const length of [0, 1, 32, 190]) {
      const plaintext = randomBytes(length);
      expect(oaepDecode(rawDecrypt(encrypt(plaintext, hash)), hash).equals(plaintext)).toBe(true);
    }
  });

  it('the largest OAEP-SHA-256 message (k - 66 bytes) round-trips', () => {
    const plaintext = randomBytes(256 - 66);
    expect(oaepDecode(rawDecrypt(encrypt(plaintext, 'sha256')), 'sha256').equals(plaintext)).toBe(true);
  });

  it.each([
    ['another hash', (em: Buffer) => em, 'sha1'],
    ['a non-zero first byte', (em: Buffer) => { em[0] = 1; return em; }, 'sha256'],
    ['a flipped masked-seed bit', (em: Buffer) => { em[5] ^= 1; return em; }, 'sha256'],
    ['a flipped data-block bit', (em: Buffer) => { em[200] ^= 1; return em; }, 'sha256'],
    ['random bytes', () => randomBytes(256), 'sha256'],
    ['a block too short for the hash', () => Buffer.alloc(60), 'sha256'],
  ] as const)('rejects %s with one generic DecryptionFailed', (_, corrupt, hash) => {
    const em = corrupt(rawDecrypt(encrypt(Buffer.from('secret'), 'sha256')));
    expect(() => oaepDecode(em, hash)).toThrow(expect.objectContaining({ code: HsmErrorCodes.DecryptionFailed, message: 'the ciphertext does not decrypt under this key' }));
  });

  it('rejects a block whose padding has no 0x01 separator', () => {
    // Build a valid-looking block by hand: lHash ‖ zeros (no 0x01), masked correctly.
    const hLen = 32;
    const db = Buffer.concat([createHash('sha256').digest(), Buffer.alloc(256 - 2 * hLen - 1)]);
    const seed = randomBytes(hLen);
    const maskedDb = Buffer.from(db.map((b, i) => b ^ mgf1('sha256', seed, db.length)[i]));
    const maskedSeed = Buffer.from(seed.map((b, i) => b ^ mgf1('sha256', maskedDb, hLen)[i]));
    expect(() => oaepDecode(Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]), 'sha256')).toThrow(
      expect.objectContaining({ code: HsmErrorCodes.DecryptionFailed }),
    );
  });
});

describe('mgf1', () => {
  it('matches RFC 8017 B.2.1 for a multi-block length', () => {
    const seed = Buffer.from('seed');
    const expected = Buffer.concat([0, 1].map((c) => createHash('sha1').update(seed).update(Buffer.from([0, 0, 0, c])).digest())).subarray(0, 30);
    expect(mgf1('sha1', seed, 30).equals(expected)).toBe(true);
  });
});
