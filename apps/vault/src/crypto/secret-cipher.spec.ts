import { randomBytes } from 'node:crypto';
import { decryptValue, encryptValue, secretAad } from './secret-cipher';

describe('secret cipher', () => {
  const key = randomBytes(32);
  const aad = secretAad('v1', 'db', 'a'.repeat(32));

  it('round-trips and uses a fresh nonce each time', () => {
    const a = encryptValue(key, 1, Buffer.from('hello'), aad);
    const b = encryptValue(key, 1, Buffer.from('hello'), aad);
    expect(a.iv).not.toEqual(b.iv);
    expect(a.ct).not.toEqual(b.ct);
    expect(decryptValue(key, a, aad).toString()).toBe('hello');
  });

  it('refuses a ciphertext moved to another name', () => {
    const v = encryptValue(key, 1, Buffer.from('hello'), aad);
    expect(() => decryptValue(key, v, secretAad('v1', 'other', 'a'.repeat(32)))).toThrow();
  });

  it('refuses a tampered ciphertext and a wrong key', () => {
    const v = encryptValue(key, 1, Buffer.from('hello'), aad);
    const ct = Buffer.from(v.ct, 'base64');
    ct[0] ^= 1;
    expect(() => decryptValue(key, { ...v, ct: ct.toString('base64') }, aad)).toThrow();
    expect(() => decryptValue(randomBytes(32), v, aad)).toThrow();
  });
});
