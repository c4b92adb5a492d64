import { constants, KeyObject, publicDecrypt } from 'node:crypto';
import { DigestName } from '@coffer/contracts';
import { digestInfo } from './digest-info';
import { emsaPssVerify } from './emsa-pss';
import { sameBytes } from './same-bytes';

/**
 * RSA signature verification over a digest the caller made. node:crypto has no pre-hashed verify,
 * so the signature is opened with the public key and checked at the padding level (RFC 8017 §8).
 * A malformed signature is simply not a valid one.
 */

/** RSASSA-PKCS1-v1_5: OpenSSL's type-1 unpadding must give exactly DigestInfo ‖ digest. */
export function rsaPkcs1VerifyDigest(key: KeyObject, hash: DigestName, digest: Buffer, signature: Buffer): boolean {
  let encoded: Buffer;
  try {
    encoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return sameBytes(encoded, digestInfo(hash, digest));
}

/** RSASSA-PSS with MGF1 on the same hash and salt length = digest length (JWA PS*). */
export function rsaPssVerifyDigest(key: KeyObject, hash: DigestName, digest: Buffer, signature: Buffer): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  let m: Buffer;
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  // When modBits ≡ 1 (mod 8) the k-byte block has one more (zero) byte than EM.
  if (emLen < k && m[0] !== 0) return false;
  return emsaPssVerify(hash, digest, m.subarray(k - emLen), emBits, digest.length);
}
