import { constants, createHash, generateKeyPairSync, publicDecrypt, randomBytes, verify } from 'node:crypto';
import { emsaPssEncode, emsaPssVerify } from './emsa-pss';
import { rsaPssSignDigest } from './testing/sign-digest';

describe('EMSA-PSS', () => {
  it.each([[2048, 'sha256'], [3072 + 8, 'sha512'], [2048 + 24, 'sha384']] as const)('a %i-bit %s encoding verifies and OpenSSL accepts the signature', (modulusLength, hash) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
    const bits = publicKey.asymmetricKeyDetails!.modulusLength!;
    const data = Buffer.from('message');
    const digest = createHash(hash).update(data).digest();
    const signature = rsaPssSignDigest(privateKey, hash, digest);
    expect(verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length }, signature)).toBe(true);
    const em = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
    const emLen = Math.ceil((bits - 1) / 8);
    expect(emsaPssVerify(hash, digest, em.subarray(em.length - emLen), bits - 1, digest.length)).toBe(true);
  });

  it('refuses a wrong salt length and a flipped trailer', () => {
    const digest = createHash('sha256').update('m').digest();
    const em = emsaPssEncode('sha256', digest, 2047, randomBytes(32));
    expect(emsaPssVerify('sha256', digest, em, 2047, 32)).toBe(true);
    expect(emsaPssVerify('sha256', digest, em, 2047, 20)).toBe(false);
    em[em.length - 1] ^= 1;
    expect(emsaPssVerify('sha256', digest, em, 2047, 32)).toBe(false);
  });
});
