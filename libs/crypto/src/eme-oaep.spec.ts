import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { oaepDecode, OaepHash } from './eme-oaep';
import { mgf1 } from './mgf1';
import { rsaesEncrypt } from './rsa-encryption';
import { hashOf, hex, loadVectors, runVectors, vectorFiles } from './testing/wycheproof';

interface OaepGroup {
  privateKeyPkcs8: string;
  sha: string;
  mgfSha: string;
}

/**
 * Coffer's software OAEP decryption as the crypto-worker runs it for RSA-OAEP-256: a k-byte
 * ciphertext, the raw RSA private operation (CKM_RSA_X_509 there, RSA_NO_PADDING here), the block
 * left-padded to k bytes, then oaepDecode. Any failure is one DecryptionFailed there, undefined here.
 */
function cofferDecrypt(privateKey: KeyObject, hash: OaepHash, ciphertext: Buffer, label: Buffer): Buffer | undefined {
  const k = Math.ceil(privateKey.asymmetricKeyDetails!.modulusLength! / 8);
  if (ciphertext.length !== k) return undefined;
  let raw: Buffer;
  try {
    raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch {
    return undefined;
  }
  const em = Buffer.alloc(k);
  raw.copy(em, k - raw.length);
  return oaepDecode(em, hash, label);
}

const groupKey = (group: OaepGroup) => createPrivateKey({ key: hex(group.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
const oaepHashOf = (group: OaepGroup): OaepHash => {
  const hash = hashOf(group.sha);
  if (group.mgfSha !== group.sha || (hash !== 'sha1' && hash !== 'sha256')) throw new Error('not a JWA RSA-OAEP / RSA-OAEP-256 group');
  return hash;
};

describe('RSAES-OAEP: Wycheproof', () => {
  it.each(vectorFiles('rsa_oaep_'))('%s: decoding recovers every valid message and refuses every invalid ciphertext', (name) => {
    const file = loadVectors<OaepGroup>(name);
    const run = runVectors(file, (group, test) => {
      const plaintext = cofferDecrypt(groupKey(group), oaepHashOf(group), hex(test.ct), hex(test.label));
      return plaintext !== undefined && plaintext.equals(hex(test.msg));
    });
    expect(run.mismatches).toEqual([]);
    expect(run.counts.valid + run.counts.invalid).toBe(file.numberOfTests);
  });

  it.each(vectorFiles('rsa_oaep_'))('%s: what Coffer encrypts under the test keys decrypts to the message (node:crypto and oaepDecode)', (name) => {
    const file = loadVectors<OaepGroup>(name);
    let checked = 0;
    for (const group of file.testGroups) {
      const privateKey = groupKey(group);
      const publicKey = createPublicKey(privateKey);
      const hash = oaepHashOf(group);
      // Coffer encrypts with the empty label (JWA), so the labelled valid messages are skipped here.
      for (const test of group.tests.filter((t) => t.result === 'valid' && !t.label)) {
        const msg = hex(test.msg);
        const ct = rsaesEncrypt(publicKey, { padding: 'oaep', hash }, msg);
        expect(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ct)).toEqual(msg);
        expect(cofferDecrypt(privateKey, hash, ct, Buffer.alloc(0))).toEqual(msg);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('oaepDecode', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** What CKM_RSA_X_509 returns: the padded block, no unpadding. */
  const rawDecrypt = (ciphertext: Buffer) => privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  const encrypt = (plaintext: Buffer, oaepHash: string) => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);

  it.each(['sha256', 'sha1'] as const)('recovers what node:crypto encrypted with OAEP-%s', (hash) => {
    for (const length of [0, 1, 32, 190]) {
      const plaintext = randomBytes(length);
      expect(oaepDecode(rawDecrypt(encrypt(plaintext, hash)), hash)?.equals(plaintext)).toBe(true);
    }
  });

  it('the largest OAEP-SHA-256 message (k - 66 bytes) round-trips', () => {
    const plaintext = randomBytes(256 - 66);
    expect(oaepDecode(rawDecrypt(encrypt(plaintext, 'sha256')), 'sha256')?.equals(plaintext)).toBe(true);
  });

  it.each([
    ['another hash', (em: Buffer) => em, 'sha1'],
    ['a non-zero first byte', (em: Buffer) => { em[0] = 1; return em; }, 'sha256'],
    ['a flipped masked-seed bit', (em: Buffer) => { em[5] ^= 1; return em; }, 'sha256'],
    ['a flipped data-block bit', (em: Buffer) => { em[200] ^= 1; return em; }, 'sha256'],
    ['random bytes', () => randomBytes(256), 'sha256'],
    ['a block too short for the hash', () => Buffer.alloc(60), 'sha256'],
  ] as const)('refuses %s with the one answer undefined', (_, corrupt, hash) => {
    const em = corrupt(rawDecrypt(encrypt(Buffer.from('secret'), 'sha256')));
    expect(oaepDecode(em, hash)).toBeUndefined();
  });

  it('refuses a block whose padding has no 0x01 separator', () => {
    // Build a valid-looking block by hand: lHash ‖ zeros (no 0x01), masked correctly.
    const hLen = 32;
    const db = Buffer.concat([createHash('sha256').digest(), Buffer.alloc(256 - 2 * hLen - 1)]);
    const seed = randomBytes(hLen);
    const maskedDb = Buffer.from(db.map((b, i) => b ^ mgf1('sha256', seed, db.length)[i]));
    const maskedSeed = Buffer.from(seed.map((b, i) => b ^ mgf1('sha256', maskedDb, hLen)[i]));
    expect(oaepDecode(Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]), 'sha256')).toBeUndefined();
  });
});
