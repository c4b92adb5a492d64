import { createHash } from 'node:crypto';
import { HsmError, HsmErrorCodes } from './hsm.errors';

/**
 * EME-OAEP decoding (RFC 8017 7.1.2) of a raw RSA decryption, for OAEP hashes the HSM cannot do
 * itself (SoftHSM 2.6.1 only has OAEP with SHA-1). Pure: unit-tested without an HSM.
 *
 * Every check is folded into one flag and the whole block is always scanned, so neither the time
 * taken nor the error says which check failed (Manger's attack needs exactly that distinction).
 * The empty label of JWA RSA-OAEP-256 is the default.
 */
export function oaepDecode(em: Buffer, hash: 'sha1' | 'sha256', label: Buffer = Buffer.alloc(0)): Buffer {
  const hLen = hash === 'sha1' ? 20 : 32;
  const k = em.length;
  if (k < 2 * hLen + 2) throw decryptionFailed();
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
    if ((bad & 0xff) !== 0 || (found & 1) === 0) throw decryptionFailed();
    return Buffer.from(db.subarray(index + 1));
  } finally {
    seed.fill(0);
    db.fill(0);
  }
}

/** MGF1 (RFC 8017 B.2.1). */
export function mgf1(hash: 'sha1' | 'sha256', seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let offset = 0, c = 0; offset < length; c++) {
    counter.writeUInt32BE(c);
    const block = createHash(hash).update(seed).update(counter).digest();
    offset += block.copy(out, offset);
  }
  return out;
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

function decryptionFailed(): HsmError {
  return new HsmError(HsmErrorCodes.DecryptionFailed, 'the ciphertext does not decrypt under this key');
}
