import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (≈ 32 MiB, tens of ms): slow for guessing, fine per token. */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 128 * 1024 * 1024;
const PREFIX = 'scrypt';

function derive(secret: string, salt: Buffer, log2n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, length, { N: 2 ** log2n, r, p, maxmem: MAX_MEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new client secret: 32 random bytes, base64url (shown to the caller once, never stored). */
export const generateClientSecret = (): string => randomBytes(32).toString('base64url');

/** What `principal show` displays of a secret: its first three characters (as Azure does). */
export const secretHint = (secret: string): string => secret.slice(0, 3);

/** `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`: parameters travel with the hash. */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, LOG2_N, R, P, KEY_LENGTH);
  return [PREFIX, LOG2_N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time comparison against a stored hash; false for anything malformed. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number);
  if (![log2n, r, p].every(Number.isInteger) || log2n < 10 || log2n > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(secret, salt, log2n, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}
