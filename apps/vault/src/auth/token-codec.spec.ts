import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@coffer/contracts';
import { generateKeyPairSync, sign } from 'node:crypto';
import { signedToken, tokenKeyId, TokenClaims, unsignedToken, verifyToken } from './token-codec';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = 1_800_000_000_000;
const claims = (o: Partial<TokenClaims> = {}): TokenClaims => ({
  iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: 'p-0123456789abcdef', iat: now / 1000, nbf: now / 1000, exp: now / 1000 + 900, jti: 'j1', ...o,
});
/** Signs like the HSM does: ECDSA over the SHA-256 digest, r‖s. */
const token = (c: TokenClaims, key = privateKey) => {
  const u = unsignedToken('kid-1', c);
  return signedToken(u, sign('sha256', Buffer.from(u.signingInput), { key, dsaEncoding: 'ieee-p1363' }));
};
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { innerCode?: string }).innerCode;
  }
  return 'accepted';
};

describe('access token codec', () => {
  it('round-trips an ES256 token with its kid', () => {
    const t = token(claims());
    expect(JSON.parse(Buffer.from(t.split('.')[0], 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'kid-1' });
    expect(tokenKeyId(t)).toBe('kid-1');
    expect(verifyToken(t, publicKey, now + 1000)).toMatchObject({ sub: 'p-0123456789abcdef', jti: 'j1' });
  });
  it('refuses expired, not-yet-valid, wrong audience/issuer, forged and foreign-key tokens', () => {
    expect(code(() => verifyToken(token(claims()), publicKey, now + 901_000))).toBe('TokenExpired');
    expect(code(() => verifyToken(token(claims({ nbf: now / 1000 + 60 })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(token(claims({ aud: 'x' })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(token(claims({ iss: 'x' })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(token(claims(), other.privateKey), publicKey, now))).toBe('TokenInvalid');
    const t = token(claims());
    const sig = Buffer.from(t.split('.')[2], 'base64url');
    sig[0] ^= 1;
    expect(code(() => verifyToken(`${t.split('.').slice(0, 2).join('.')}.${sig.toString('base64url')}`, publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(`${t}x`, publicKey, now))).toBe('TokenInvalid');
    expect(tokenKeyId('garbage')).toBeUndefined();
  });
});
