import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** A new client secret: 32 random bytes, base64url (shown to the caller once, never stored). */
export const generateClientSecret = (): string => randomBytes(32).toString('base64url');

/** What `principal show` displays of a secret: its first three characters (as Azure does). */
export const secretHint = (secret: string): string => secret.slice(0, 3);

/*
 * Stored client-secret hashes. Secrets are 256-bit random, so a slow password hash buys nothing
 * against guessing (that is for low-entropy passwords); a keyed hash is as strong as long as its
 * key stays secret, and the key never leaves the HSM. Without the HSM a stolen read model or event
 * log cannot even be checked offline against a guess.
 */
const KEYED_PREFIX = 'hmac-sha256';
/** Domain separation: this key hashes client secrets and nothing else that could collide with them. */
const KEYED_LABEL = 'coffer/client-secret/v1';

/** What the HSM's HMAC covers: label, client id and secret (so a hash copied to another principal does not verify there). */
export function keyedHashInput(clientId: string, secret: string): Buffer {
  return Buffer.from(`${KEYED_LABEL}\0${clientId}\0${secret}`, 'utf8');
}

/** `hmac-sha256$<HSM key id>$<mac b64url>`: the key id travels with the hash (a later key rotation can tell them apart). */
export function formatKeyedHash(keyId: string, mac: Buffer): string {
  return [KEYED_PREFIX, keyId, mac.toString('base64url')].join('$');
}

/** Whether `stored` is the keyed hash of the secret whose HMAC under `keyId` is `mac`: constant time, false for any other format or key. */
export function keyedHashMatches(stored: string, keyId: string, mac: Buffer): boolean {
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== KEYED_PREFIX || parts[1] !== keyId) return false;
  const expected = Buffer.from(parts[2], 'base64url');
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}

/** The format credentials were stored in before keyed hashes: `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`. */
const LEGACY_PREFIX = 'scrypt';
const MAX_MEM = 128 * 1024 * 1024;

export const isLegacyHash = (stored: string): boolean => stored.startsWith(`${LEGACY_PREFIX}$`);

function derive(secret: string, salt: Buffer, log2n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, length, { N: 2 ** log2n, r, p, maxmem: MAX_MEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A hash in the old scrypt format (N = 2^15, r = 8, p = 1). Coffer no longer stores these; tests make old credentials with it. */
export async function legacyScryptHash(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, 15, 8, 1, 32);
  return [LEGACY_PREFIX, 15, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check of `secret` against an old scrypt hash; false for anything malformed. */
export async function verifyLegacyHash(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== LEGACY_PREFIX) return false;
  const [log2n, r, p] = parts.slice(1, 4).map(Number);
  if (![log2n, r, p].every(Number.isInteger) || log2n < 10 || log2n > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(secret, salt, log2n, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}
