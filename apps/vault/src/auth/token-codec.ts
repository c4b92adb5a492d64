import { InnerErrorCodes, TOKEN_AUDIENCE, TOKEN_ISSUER, unauthorized } from '@coffer/contracts';
import { createHash, KeyObject } from 'node:crypto';
import { NotBeforeError, TokenExpiredError, verify } from 'jsonwebtoken';
import { TextDecoder } from 'node:util';

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

/** Longer than any token Coffer issues (about 400 characters) by a wide margin; longer ones are refused unread. */
export const MAX_TOKEN_LENGTH = 4096;
const JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One base64url JWS part as a JSON object, or undefined (not base64url, not UTF-8, not JSON, not an object). */
function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `kid` of a token's header, or undefined when it is not a JWS whose header and payload are
 * both JSON objects. Never verifies anything and never throws (jws.decode throws a SyntaxError on a
 * `typ: JWT` token whose payload is not JSON, which used to surface as InternalError).
 */
export function tokenKeyId(token: string): string | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = JWS.exec(token);
  if (!parts) return undefined;
  const header = jsonPart(parts[1]);
  if (!header || !jsonPart(parts[2])) return undefined;
  return typeof header.kid === 'string' && header.kid.length > 0 && header.kid.length <= 128 ? header.kid : undefined;
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
    // Anything else (a bad signature, jws's TypeError for one of the wrong length, claims of the wrong type) is a malformed token.
    throw tokenInvalid();
  }
  if (typeof claims !== 'object' || claims === null) throw tokenInvalid();
  const c = claims as Partial<Record<keyof TokenClaims, unknown>>;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (typeof c.sub !== 'string' || !finite(c.iat) || !finite(c.exp) || typeof c.jti !== 'string') throw tokenInvalid();
  return c as TokenClaims;
}
