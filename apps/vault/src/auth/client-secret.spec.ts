import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  formatKeyedHash, generateClientSecret, isLegacyHash, keyedHashInput, keyedHashMatches, legacyScryptHash, secretHint, verifyLegacyHash,
} from './client-secret';

// Recorded, not replaced: the comparison must go through timingSafeEqual.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

describe('client secrets', () => {
  it('are 32 random bytes, base64url, with a three-character hint', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(secret);
    expect(secretHint(secret)).toBe(secret.slice(0, 3));
  });

  it('are stored as a keyed hash that names its key and matches only the same MAC under the same key', () => {
    const secret = generateClientSecret();
    // The HSM computes the HMAC; any HMAC-SHA256 stands in for it here.
    const key = randomBytes(32);
    const mac = createHmac('sha256', key).update(keyedHashInput('p-0000000000000001', secret)).digest();
    const stored = formatKeyedHash('client-secret-mac', mac);
    expect(stored).toMatch(/^hmac-sha256\$client-secret-mac\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(secret);
    expect(isLegacyHash(stored)).toBe(false);
    expect(keyedHashMatches(stored, 'client-secret-mac', mac)).toBe(true);
    const other = createHmac('sha256', key).update(keyedHashInput('p-0000000000000001', `${secret}x`)).digest();
    expect(keyedHashMatches(stored, 'client-secret-mac', other)).toBe(false);
    expect(keyedHashMatches(stored, 'another-key', mac)).toBe(false);
    expect(keyedHashMatches(stored, 'client-secret-mac', mac.subarray(0, 16))).toBe(false);
    expect(keyedHashMatches('hmac-sha256$client-secret-mac', 'client-secret-mac', mac)).toBe(false);
  });

  it('are compared in constant time (timingSafeEqual over equal lengths), whatever the MAC', () => {
    const spy = timingSafeEqual as jest.MockedFunction<typeof timingSafeEqual>;
    spy.mockClear();
    const mac = randomBytes(32);
    const stored = formatKeyedHash('k', mac);
    const wrongFirst = Buffer.from(mac);
    wrongFirst[0] ^= 1;
    const wrongLast = Buffer.from(mac);
    wrongLast[31] ^= 1;
    expect([mac, wrongFirst, wrongLast].map((m) => keyedHashMatches(stored, 'k', m))).toEqual([true, false, false]);
    expect(spy).toHaveBeenCalledTimes(3);
    for (const [a, b] of spy.mock.calls as [Buffer, Buffer][]) expect(a.length).toBe(b.length);
  });

  it('bind the client id into the hashed input', () => {
    expect(keyedHashInput('p-1', 's').equals(keyedHashInput('p-2', 's'))).toBe(false);
    // The separator keeps (id, secret) pairs apart: no id/secret split of one string gives another's input.
    expect(keyedHashInput('p-1', 'ab').equals(keyedHashInput('p-1a', 'b'))).toBe(false);
  });

  it('in the old scrypt format still verify (until their first use migrates them), the right secret only', async () => {
    const secret = generateClientSecret();
    const [hash, again] = await Promise.all([legacyScryptHash(secret), legacyScryptHash(secret)]);
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(hash).not.toBe(again); // fresh salt
    expect(isLegacyHash(hash)).toBe(true);
    expect(await verifyLegacyHash(secret, hash)).toBe(true);
    expect(await verifyLegacyHash(`${secret}x`, hash)).toBe(false);
    expect(await verifyLegacyHash(secret, 'scrypt$15$8$1$abc')).toBe(false);
    expect(await verifyLegacyHash(secret, hash.replace('scrypt$15', 'scrypt$30'))).toBe(false);
  });
});
