import {
  badParameter, InnerErrorCodes, PublicKeyMaterial, SIGNATURE_SPECS, SignatureAlgorithm,
} from '@coffer/contracts';
import { ecdsaVerifyDigest, rsaesEncrypt, rsaPkcs1VerifyDigest, rsaPssVerifyDigest } from '@coffer/crypto';
import { CipherSpec } from '@coffer/domain';
import { createPublicKey, KeyObject } from 'node:crypto';

/**
 * Public-key operations the vault does in software on a version's public JWK (the HSM is not
 * needed for them): verify a signature over a digest, and RSA encrypt/wrap. The padding-level
 * checks and the ECDSA arithmetic live in @coffer/crypto (checked against Wycheproof vectors).
 */

const b64u = (s: string) => Buffer.from(s, 'base64url');

export function rsaPublicKey(pk: PublicKeyMaterial): KeyObject {
  if (pk.kty !== 'RSA') throw new Error(`not an RSA public key: ${pk.kty}`);
  return createPublicKey({ key: { kty: 'RSA', n: pk.n, e: pk.e }, format: 'jwk' });
}

/** Whether `signature` is `alg`'s signature of `digest` by this public key (ES*: JWS r‖s). */
export function verifyDigestSignature(pk: PublicKeyMaterial, alg: SignatureAlgorithm, digest: Buffer, signature: Buffer): boolean {
  const spec = SIGNATURE_SPECS[alg];
  if (spec.family === 'EC') {
    if (pk.kty !== 'EC') return false;
    return ecdsaVerifyDigest(pk.crv, b64u(pk.x), b64u(pk.y), digest, signature);
  }
  const key = rsaPublicKey(pk);
  return spec.padding === 'pss' ? rsaPssVerifyDigest(key, spec.digest, digest, signature) : rsaPkcs1VerifyDigest(key, spec.digest, digest, signature);
}

/** RSA-OAEP (SHA-1), RSA-OAEP-256 or RSA1_5 encryption under the public key, in software. */
export function rsaEncrypt(pk: PublicKeyMaterial, spec: Extract<CipherSpec, { kind: 'rsa' }>, plaintext: Buffer): Buffer {
  const key = rsaPublicKey(pk);
  try {
    return rsaesEncrypt(key, spec, plaintext);
  } catch {
    // The domain bounds the plaintext first; anything else OpenSSL refuses is still the input's fault.
    throw badParameter(`${spec.alg} cannot encrypt this value with this key.`, InnerErrorCodes.ValueTooLarge);
  }
}
