import { InnerErrorCodes, TOKEN_AUDIENCE, TOKEN_ISSUER, unauthorized } from '@coffer/contracts';
import { createHash, KeyObject } from 'node:crypto';
import { decode, JsonWebTokenError, NotBeforeError, TokenExpiredError, verify } from 'jsonwebtoken';

export interface TokenClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export interface UnsignedToken {
  /** base64url(header).base64url(payload): what is signed. */
  signingInput: string;
  /** SHA-256 of the signing input (the HSM signs digests). */
  digest: Buffer;
}

const b64url = (x: object) => Buffer.from(JSON.stringify(x)).toString('base64url');

/** The JWS signing input of an ES256 access token. */
export function unsignedToken(kid: string, claims: TokenClaims): UnsignedToken {
  const signingInput = `${b64url({ alg: 'ES256', typ: 'JWT', kid })}.${b64url(claims)}`;
  return { signingInput, digest: createHash('sha256').update(signingInput).digest() };
}

/** JWS compact serialization: the r‖s signature, base64url. */
export const signedToken = (t: UnsignedToken, signature: Buffer): string => `${t.signingInput}.${signature.toString('base64url')}`;

/** The `kid` of a token's header, or undefined when it is not a JWS. Never verifies anything. */
export function tokenKeyId(token: string): string | undefined {
  const decoded = decode(token, { complete: true });
  const kid = decoded && typeof decoded === 'object' ? decoded.header.kid : undefined;
  return typeof kid === 'string' ? kid : undefined;
}

export const tokenInvalid = () => unauthorized('The access token is invalid.', InnerErrorCodes.TokenInvalid);

/**
 * Verifies signature (ES256 only), issuer, audience, expiry and not-before; returns the claims.
 * Messages name the problem, never the token.
 */
export function verifyToken(token: string, key: KeyObject, nowMs: number): TokenClaims {
  let claims: unknown;
  try {
    claims = verify(token, key, { algorithms: ['ES256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTimestamp: Math.floor(nowMs / 1000) });
  } catch (err) {
    if (err instanceof TokenExpiredError) throw unauthorized('The access token has expired.', InnerErrorCodes.TokenExpired);
    if (err instanceof NotBeforeError) throw unauthorized('The access token is not valid yet.', InnerErrorCodes.TokenInvalid);
    // Anything else (e.g. jws's TypeError for a signature of the wrong length) is a malformed token too.
    if (err instanceof JsonWebTokenError || err instanceof Error) throw tokenInvalid();
    throw err;
  }
  const c = claims as Partial<TokenClaims>;
  if (typeof c.sub !== 'string' || typeof c.iat !== 'number' || typeof c.exp !== 'number' || typeof c.jti !== 'string') throw tokenInvalid();
  return c as TokenClaims;
}
