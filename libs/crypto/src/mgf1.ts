import { createHash } from 'node:crypto';
import { DigestName } from '@coffer/contracts';

/** Hashes MGF1 runs on: the signature digests, and SHA-1 for JWA RSA-OAEP. */
export type MgfHash = DigestName | 'sha1';

/** MGF1 (RFC 8017 B.2.1): `length` bytes of Hash(seed ‖ counter) blocks. */
export function mgf1(hash: MgfHash, seed: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let offset = 0, c = 0; offset < length; c++) {
    counter.writeUInt32BE(c);
    const block = createHash(hash).update(seed).update(counter).digest();
    offset += block.copy(out, offset);
  }
  return out;
}
