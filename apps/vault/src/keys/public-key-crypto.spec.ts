import { Curve, PublicKeyMaterial, SIGNATURE_SPECS, SignatureAlgorithm } from '@coffer/contracts';
import { encryptionSpecFor } from '@coffer/domain';
import { constants, createHash, generateKeyPairSync, KeyObject, privateDecrypt, randomBytes, sign } from 'node:crypto';
import { rsaEncrypt, verifyDigestSignature } from './public-key-crypto';

const NODE_CURVE: Record<Curve, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };

function publicOf(key: KeyObject, crv?: Curve): PublicKeyMaterial {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return crv ? { kty: 'EC', crv, x: jwk.x, y: jwk.y } : { kty: 'RSA', n: jwk.n, e: jwk.e };
}

describe('software public-key operations (interop with node:crypto)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa3072 = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const data = Buffer.from('the quick brown fox');

  it.each(Object.keys(SIGNATURE_SPECS) as SignatureAlgorithm[])('verifies %s signatures node made, and refuses tampered ones', (alg) => {
    const spec = SIGNATURE_SPECS[alg];
    const pair = spec.family === 'EC' ? generateKeyPairSync('ec', { namedCurve: NODE_CURVE[spec.curve!] }) : rsa;
    const pk = publicOf(pair.publicKey, spec.curve);
    const digest = createHash(spec.digest).update(data).digest();
    const signature = spec.family === 'EC'
      ? sign(spec.digest, data, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(spec.digest, data, { key: pair.privateKey, padding: spec.padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING, saltLength: spec.digestBytes });
    expect(verifyDigestSignature(pk, alg, digest, signature)).toBe(true);
    expect(verifyDigestSignature(pk, alg, createHash(spec.digest).update('other').digest(), signature)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[flipped.length - 1] ^= 1;
    expect(verifyDigestSignature(pk, alg, digest, flipped)).toBe(false);
    expect(verifyDigestSignature(pk, alg, digest, signature.subarray(1))).toBe(false);
  });

  it('verifies PSS on a modulus that is not a multiple of 8 bits plus one', () => {
    const odd = generateKeyPairSync('rsa', { modulusLength: 3072 + 8 });
    const digest = createHash('sha512').update(data).digest();
    const signature = sign('sha512', data, { key: odd.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    expect(verifyDigestSignature(publicOf(odd.publicKey), 'PS512', digest, signature)).toBe(true);
  });

  it('refuses a signature by another key and an off-curve point', () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const b = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const digest = createHash('sha256').update(data).digest();
    const signature = sign('sha256', data, { key: a.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(verifyDigestSignature(publicOf(b.publicKey, 'P-256'), 'ES256', digest, signature)).toBe(false);
    const pk = publicOf(a.publicKey, 'P-256') as Extract<PublicKeyMaterial, { kty: 'EC' }>;
    expect(verifyDigestSignature({ ...pk, y: pk.x }, 'ES256', digest, signature)).toBe(false);
    expect(verifyDigestSignature(publicOf(rsa.publicKey), 'RS256', digest, sign('sha256', data, rsa3072.privateKey))).toBe(false);
  });

  it.each(['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const)('%s ciphertext decrypts with node privateDecrypt', (alg) => {
    const spec = encryptionSpecFor(alg, { version: 'v', kty: 'RSA-HSM', keySize: 2048, keyOps: ['encrypt'], attributes: { enabled: true } });
    if (spec.kind !== 'rsa') throw new Error('expected an RSA spec');
    const plain = randomBytes(32);
    const ct = rsaEncrypt(publicOf(rsa.publicKey), spec, plain);
    expect(ct).toHaveLength(256);
    if (spec.padding === 'oaep') {
      expect(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.hash }, ct)).toEqual(plain);
    } else {
      // Node refuses PKCS#1 v1.5 decryption (Marvin); undo the padding by hand to check it.
      const em = privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_NO_PADDING }, ct);
      expect([em[0], em[1]]).toEqual([0, 2]);
      expect(em.subarray(em.indexOf(0, 2) + 1)).toEqual(plain);
    }
  });
});
