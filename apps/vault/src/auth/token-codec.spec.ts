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

describe('malformed tokens are TokenInvalid, never a crash', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const header = b64(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'kid-1' }));
  const sig = Buffer.alloc(64, 1).toString('base64url');
  it.each([
    ['a payload that is not JSON', `${header}.${b64('not json{')}.${sig}`],
    ['a JSON non-object payload', `${header}.${b64('42')}.${sig}`],
    ['a null payload', `${header}.${b64('null')}.${sig}`],
    ['a header that is not JSON', `${b64('{{')}.${b64('{}')}.${sig}`],
    ['a header without kid', `${b64('{"alg":"ES256"}')}.${b64('{}')}.${sig}`],
    ['a numeric kid', `${b64('{"alg":"ES256","kid":7}')}.${b64('{}')}.${sig}`],
    ['binary parts', `${Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')}.${b64('{}')}.${sig}`],
    ['a huge token', `${header}.${'A'.repeat(10_000)}.${sig}`],
  ])('tokenKeyId is undefined for %s', (_what, t) => expect(tokenKeyId(t)).toBeUndefined());

  it('verifyToken refuses wrong claim types and non-object payloads signed with the right key', () => {
    const signedRaw = (payload: string) => {
      const input = `${header}.${b64(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    };
    const good = claims();
    expect(code(() => verifyToken(signedRaw('not json'), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw('"a string"'), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw(JSON.stringify({ ...good, exp: 'soon' })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw(JSON.stringify({ ...good, sub: 42 })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw(JSON.stringify({ ...good, jti: null })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw(JSON.stringify({ ...good, aud: ['x'] })), publicKey, now))).toBe('TokenInvalid');
    expect(code(() => verifyToken(signedRaw(JSON.stringify(good)), publicKey, now))).toBe('accepted');
  });
});
