import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { HsmErrorCodes } from './hsm.errors';
import { integerBytes, parsePrivateJwk, publicKeyObject, publicOfParts, samePublicKey, stripZeros, wipeParts } from './jwk-material';

const jwkOf = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ format: 'jwk' }) as Record<string, string>;

describe('parsePrivateJwk', () => {
  it('takes an RSA JWK apart, with its size, and gives back the public half node:crypto agrees with', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const parts = parsePrivateJwk({ ...jwkOf(privateKey), kty: 'RSA-HSM' });
    expect(parts).toMatchObject({ kty: 'RSA', bits: 3072 });
    const pub = publicOfParts(parts);
    expect(pub).toEqual({ kty: 'RSA', n: (publicKey.export({ format: 'jwk' }) as any).n, e: 'AQAB' });
    expect(publicKeyObject(pub).equals(publicKey)).toBe(true);
  });

  it.each([['P-256', 'P-256', 32], ['P-384', 'P-384', 48], ['P-521', 'P-521', 66], ['secp256k1', 'P-256K', 32]] as const)(
    'takes an EC %s JWK apart under its JOSE name %s',
    (namedCurve, crv, size) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      const parts = parsePrivateJwk({ ...jwkOf(privateKey), crv });
      expect(parts).toMatchObject({ kty: 'EC', crv });
      if (parts.kty !== 'EC') throw new Error('not EC');
      expect(parts.d).toHaveLength(size);
      expect(publicKeyObject(publicOfParts(parts)).equals(publicKey)).toBe(true);
    },
  );

  it('takes an oct JWK apart and wipes it', () => {
    const k = randomBytes(24);
    const parts = parsePrivateJwk({ kty: 'oct', k: k.toString('base64url') });
    expect(parts).toEqual({ kty: 'oct', k });
    wipeParts(parts);
    expect(parts.kty === 'oct' && parts.k.every((b) => b === 0)).toBe(true);
  });

  it.each([
    ['no kty', {}],
    ['an unknown kty', { kty: 'OKP' }],
    ['a missing CRT member', (() => { const j = jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey); delete j.dq; return j; })()],
    ['a 1024-bit RSA key', jwkOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)],
    ['a point not on the curve', { ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), x: Buffer.alloc(32, 1).toString('base64url') }],
    ['an unknown curve', { ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), crv: 'P-192' }],
    ['a member that is not base64url', { kty: 'oct', k: 'ab+/cd==' }],
    ['a member that is not a string', { kty: 'oct', k: 42 }],
    ['an AES key of 20 bytes', { kty: 'oct', k: randomBytes(20).toString('base64url') }],
  ])('refuses %s with InvalidInput', (_, jwk) => {
    expect(() => parsePrivateJwk(jwk)).toThrow(expect.objectContaining({ code: HsmErrorCodes.InvalidInput }));
  });

  it('never quotes a member in its error', () => {
    const j = jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    try {
      parsePrivateJwk({ ...j, x: j.y });
      throw new Error('accepted');
    } catch (err) {
      for (const value of Object.values(j)) if (value.length > 8) expect((err as Error).message).not.toContain(value);
    }
  });
});

describe('byte helpers', () => {
  it('encodes public exponents minimally and strips leading zeros', () => {
    expect(integerBytes(65537)).toEqual(Buffer.from([1, 0, 1]));
    expect(integerBytes(3)).toEqual(Buffer.from([3]));
    expect(integerBytes(0x10001ff)).toEqual(Buffer.from([1, 0, 1, 0xff]));
    expect(stripZeros(Buffer.from([0, 0, 5, 0]))).toEqual(Buffer.from([5, 0]));
    expect(stripZeros(Buffer.from([0]))).toEqual(Buffer.from([0]));
  });

  it('compares public keys member by member', () => {
    expect(samePublicKey({ kty: 'RSA', n: 'a', e: 'AQAB' }, { kty: 'RSA', n: 'a', e: 'AQAB' })).toBe(true);
    expect(samePublicKey({ kty: 'RSA', n: 'a', e: 'AQAB' }, { kty: 'RSA', n: 'b', e: 'AQAB' })).toBe(false);
    expect(samePublicKey({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }, { kty: 'EC', crv: 'P-384', x: 'a', y: 'b' })).toBe(false);
    expect(samePublicKey({ kty: 'oct' }, { kty: 'RSA', n: 'a', e: 'AQAB' })).toBe(false);
  });
});
