import { createHash } from 'node:crypto';
import { DigestName } from '@coffer/contracts';
import { mgf1 } from './mgf1';
import { sameBytes } from './same-bytes';

/**
 * EMSA-PSS (RFC 8017 §9.1) over a message digest the caller made, with MGF1 on the same hash (as
 * JWA PS* and CKM_RSA_PKCS_PSS with matching parameters). emBits is modBits − 1.
 */

/** EMSA-PSS-ENCODE (§9.1.1): the emLen-byte block the raw RSA private operation signs. */
export function emsaPssEncode(hash: DigestName, mHash: Buffer, emBits: number, salt: Buffer): Buffer {
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  if (emLen < hLen + salt.length + 2) throw new RangeError('the modulus is too short for this digest and salt');
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - salt.length - hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** EMSA-PSS-VERIFY (§9.1.2) of the emLen-byte block `em` with a salt of exactly `sLen` bytes. */
export function emsaPssVerify(hash: DigestName, mHash: Buffer, em: Buffer, emBits: number, sLen: number): boolean {
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const H = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((maskedDb[0] & ~topMask & 0xff) !== 0) return false;
  const mask = mgf1(hash, H, maskedDb.length);
  const db = Buffer.from(maskedDb.map((byte, i) => byte ^ mask[i]));
  db[0] &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  if (!db.subarray(0, psLen).every((b) => b === 0) || db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return sameBytes(H, h2);
}
