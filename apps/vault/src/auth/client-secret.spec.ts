import { generateClientSecret, hashClientSecret, secretHint, verifyClientSecret } from './client-secret';

describe('client secrets', () => {
  it('are 32 random bytes, base64url, and hashed with salt and parameters', async () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [a, b] = await Promise.all([hashClientSecret(secret), hashClientSecret(secret)]);
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b); // fresh salt
    expect(a).not.toContain(secret);
    expect(secretHint(secret)).toBe(secret.slice(0, 3));
  });
  it('verify the right secret only', async () => {
    const secret = generateClientSecret();
    const hash = await hashClientSecret(secret);
    expect(await verifyClientSecret(secret, hash)).toBe(true);
    expect(await verifyClientSecret(`${secret}x`, hash)).toBe(false);
    expect(await verifyClientSecret(secret, 'scrypt$15$8$1$abc')).toBe(false);
    expect(await verifyClientSecret(secret, hash.replace('scrypt$15', 'scrypt$30'))).toBe(false);
  });
});
