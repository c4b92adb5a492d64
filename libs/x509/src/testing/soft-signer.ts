/**
 * Test-only stand-in for the crypto-worker's HSM: it signs a digest it did not hash, as CKM_ECDSA and
 * CKM_RSA_PKCS / CKM_RSA_PKCS_PSS do (the digest signers are @coffer/crypto/testing's). Signatures
 * come out as an HSM returns them (EC r‖s), and OpenSSL verifies everything the library makes from them.
 */
import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { DigestName } from '@coffer/contracts';
import { CURVE_PARAMS } from '@coffer/crypto';
import { ecdsaSignDigest, rsaPkcs1SignDigest, rsaPssSignDigest } from '@coffer/crypto/testing';
import type { X509SignatureAlgorithm, X509Signer } from '../signer';

export interface SoftKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey;
  /** PKCS#8 DER of the private key (for PFX/PEM/TLS tests). */
  pkcs8: Buffer;
}

export function softKey(spec: 'RSA-2048' | 'RSA-3072' | 'P-256' | 'P-384' | 'P-521'): SoftKey {
  const pair = spec.startsWith('RSA')
    ? generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) })
    : generateKeyPairSync('ec', { namedCurve: CURVE_PARAMS[spec as 'P-256' | 'P-384' | 'P-521'].nodeName });
  const jwk = pair.publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: jwk,
    pkcs8: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

const HASH_OF: Record<X509SignatureAlgorithm, DigestName> = {
  ES256: 'sha256', ES384: 'sha384', ES512: 'sha512',
  RS256: 'sha256', RS384: 'sha384', RS512: 'sha512',
  PS256: 'sha256', PS384: 'sha384', PS512: 'sha512',
};

/** An X509Signer over a software key, signing digests the way the HSM does. */
export function softSigner(key: SoftKey, algorithm: X509SignatureAlgorithm, counter?: { calls: number }): X509Signer {
  const hash = HASH_OF[algorithm];
  return {
    algorithm,
    publicKey: key.publicJwk,
    async sign(digest: Buffer): Promise<Buffer> {
      if (counter) counter.calls++;
      if (algorithm.startsWith('ES')) return ecdsaSignDigest(key.privateKey, digest);
      if (algorithm.startsWith('RS')) return rsaPkcs1SignDigest(key.privateKey, hash, digest);
      return rsaPssSignDigest(key.privateKey, hash, digest);
    },
  };
}
