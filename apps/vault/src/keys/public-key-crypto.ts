import {
  badParameter, DigestName, InnerErrorCodes, PublicKeyMaterial, SIGNATURE_SPECS, SignatureAlgorithm,
} from '@coffer/contracts';
import { CipherSpec } from '@coffer/domain';
import { constants, createHash, createPublicKey, KeyObject, publicDecrypt, publicEncrypt, timingSafeEqual } from 'node:crypto';
import { ecdsaVerifyDigest } from './ecdsa-verify';

/**
 * Public-key operations the vault does in software on a version's public JWK (the HSM is not
 * needed for them): verify a signature over a digest, and RSA encrypt/wrap. node:crypto has no
 * pre-hashed verify, so signatures are checked at the padding level (RFC 8017) and for ECDSA in
 * ecdsaVerifyDigest.
 */

const b64u = (s: string) => Buffer.from(s, 'base64url');

export function rsaPublicKey(pk: PublicKeyMaterial): KeyObject {
  if (pk.kty !== 'RSA') throw new Error(`not an RSA public key: ${pk.kty}`);
  return createPublicKey({ key: { kty: 'RSA', n: pk.n, e: pk.e }, format: 'jwk' });
}

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1): PKCS#1 v1.5 signs prefix ‖ digest. */
const DIGEST_INFO_PREFIX: Record<DigestName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

function rsaPkcs1Verify(key: KeyObject, digestName: DigestName, digest: Buffer, signature: Buffer): boolean {
  let encoded: Buffer;
  try {
    encoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return sameBytes(encoded, Buffer.concat([DIGEST_INFO_PREFIX[digestName], digest]));
}

function mgf1(hash: DigestName, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0, got = 0; got < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    got += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 on the same hash and salt length = digest length (as JWA PS*). */
function rsaPssVerify(key: KeyObject, digestName: DigestName, digest: Buffer, signature: Buffer): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  let m: Buffer;
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const hLen = digest.length;
  const sLen = hLen;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < k && m[0] !== 0) return false;
  const em = m.subarray(k - emLen);
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const H = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  const topMask = 0xff >> topBits;
  if ((maskedDb[0] & ~topMask & 0xff) !== 0) return false;
  const mask = mgf1(digestName, H, maskedDb.length);
  const db = Buffer.from(maskedDb.map((byte, i) => byte ^ mask[i]));
  db[0] &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  if (!db.subarray(0, psLen).every((b) => b === 0) || db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createHash(digestName).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return sameBytes(H, h2);
}

/** Whether `signature` is `alg`'s signature of `digest` by this public key (ES*: JWS r‖s). */
export function verifyDigestSignature(pk: PublicKeyMaterial, alg: SignatureAlgorithm, digest: Buffer, signature: Buffer): boolean {
  const spec = SIGNATURE_SPECS[alg];
  if (spec.family === 'EC') {
    if (pk.kty !== 'EC') return false;
    return ecdsaVerifyDigest(pk.crv, b64u(pk.x), b64u(pk.y), digest, signature);
  }
  const key = rsaPublicKey(pk);
  return spec.padding === 'pss' ? rsaPssVerify(key, spec.digest, digest, signature) : rsaPkcs1Verify(key, spec.digest, digest, signature);
}

/** RSA-OAEP (SHA-1), RSA-OAEP-256 or RSA1_5 encryption under the public key, in software. */
export function rsaEncrypt(pk: PublicKeyMaterial, spec: Extract<CipherSpec, { kind: 'rsa' }>, plaintext: Buffer): Buffer {
  const key = rsaPublicKey(pk);
  try {
    return spec.padding === 'oaep'
      ? publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.hash }, plaintext)
      : publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plaintext);
  } catch {
    // The domain bounds the plaintext first; anything else OpenSSL refuses is still the input's fault.
    throw badParameter(`${spec.alg} cannot encrypt this value with this key.`, InnerErrorCodes.ValueTooLarge);
  }
}
