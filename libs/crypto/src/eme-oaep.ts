import { createHash } from 'node:crypto';
import { mgf1 } from './mgf1';

/** OAEP hashes Coffer uses (MGF1 on the same hash): SHA-1 for JWA RSA-OAEP, SHA-256 for RSA-OAEP-256. */
export type OaepHash = 'sha1' | 'sha256';

/**
 * EME-OAEP decoding (RFC 8017 7.1.2) of a raw RSA decryption (the full k-byte block), for OAEP
 * hashes the HSM cannot do itself. Undefined when the block is not a valid encoding.
 *
 * Every check is folded into one flag and the whole block is always scanned, so neither the time
 * taken nor the answer says which check failed (Manger's attack needs exactly that distinction).
 * The empty label of JWA RSA-OAEP-256 is the default.
 */
export function oaepDecode(em: Buffer, hash: OaepHash, label: Buffer = Buffer.alloc(0)): Buffer | undefined {
  const hLen = hash === 'sha1' ? 20 : 32;
  const k = em.length;
  if (k < 2 * hLen + 2) return undefined;
  const lHash = createHash(hash).update(label).digest();
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(hash, maskedDb, hLen));
  const db = xor(maskedDb, mgf1(hash, seed, k - hLen - 1));
  try {
    let bad = em[0];
    for (let i = 0; i < hLen; i++) bad |= db[i] ^ lHash[i];
    // Find the 0x01 after the zero padding without branching on secret bytes.
    let found = 0;
    let index = 0;
    for (let i = hLen; i < db.length; i++) {
      const isOne = ctEq(db[i], 1);
      const isZero = ctEq(db[i], 0);
      index |= ~found & isOne & i;
      // A non-zero, non-one byte before the separator is a padding error.
      bad |= ~found & ~isOne & ~isZero & 1;
      found |= isOne;
    }
    bad |= ~found & 1;
    if ((bad & 0xff) !== 0 || (found & 1) === 0) return undefined;
    return Buffer.from(db.subarray(index + 1));
  } finally {
    seed.fill(0);
    db.fill(0);
  }
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** -1 (all bits set) when a === b, else 0, for bytes. */
function ctEq(a: number, b: number): number {
  return ((a ^ b) - 1) >> 31;
}
