import { Injectable } from '@nestjs/common';
import { InnerErrorCodes, unauthorized } from '@coffer/contracts';
import { Clock } from '../infrastructure/clock';
import { Caller } from './caller';
import { PrincipalAccessCache } from './principal-access.cache';
import { SigningKeys } from './signing-keys';
import { MAX_TOKEN_LENGTH, tokenInvalid, tokenKeyId, verifyToken } from './token-codec';

interface VerifiedToken {
  sub: string;
  iatMs: number;
  expMs: number;
  /** expMs as the Caller reports it (formatted once, not per request). */
  expiresOn: string;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const MAX_CACHED_TOKENS = 50_000;

/**
 * Authorization header → Caller. Signatures are checked once per token (the verified token is
 * cached, keyed by the whole token string, until it expires); the principal's state comes from
 * PrincipalAccessCache on every request, so disabling and revocation apply within its TTL.
 */
@Injectable()
export class TokenAuthenticator {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly keys: SigningKeys, private readonly access: PrincipalAccessCache, private readonly clock: Clock) {}

  async authenticate(authorization: string | undefined): Promise<Caller> {
    if (!authorization) throw unauthorized('The request carries no access token (Authorization: Bearer <token>).', InnerErrorCodes.TokenMissing);
    // Bounded before any regular expression runs on it: a header may be as large as the message.
    if (authorization.length > MAX_TOKEN_LENGTH + 'Bearer '.length) throw tokenInvalid();
    const match = BEARER.exec(authorization);
    if (!match) throw tokenInvalid();
    const token = match[1];
    const now = this.clock.now().getTime();
    let v = this.verified.get(token);
    if (v && v.expMs <= now) {
      this.verified.delete(token);
      throw unauthorized('The access token has expired.', InnerErrorCodes.TokenExpired);
    }
    if (!v) {
      v = await this.verify(token, now);
      if (this.verified.size >= MAX_CACHED_TOKENS) this.evictExpired(now);
      this.verified.set(token, v);
    }
    const { principal, assignments, grants } = await this.access.get(v.sub);
    if (!principal) throw tokenInvalid();
    if (!principal.enabled) throw unauthorized('The access token was revoked: the principal is disabled.', InnerErrorCodes.TokenRevoked);
    if (principal.revokedBefore && v.iatMs < Date.parse(principal.revokedBefore)) {
      throw unauthorized('The access token was revoked.', InnerErrorCodes.TokenRevoked);
    }
    return { principal, assignments, grants, tokenExpiresOn: v.expiresOn };
  }

  private async verify(token: string, now: number): Promise<VerifiedToken> {
    const kid = tokenKeyId(token);
    const key = kid === undefined ? undefined : await this.keys.verificationKey(kid);
    if (!key) throw tokenInvalid();
    const claims = verifyToken(token, key, now);
    // iat is in whole seconds: a token counts as issued at the start of its second, so one issued in
    // the same second as a revocation is revoked too (TokenIssuer waits for the next second).
    const expMs = claims.exp * 1000;
    return { sub: claims.sub, iatMs: claims.iat * 1000, expMs, expiresOn: new Date(expMs).toISOString() };
  }

  private evictExpired(now: number): void {
    for (const [t, v] of this.verified) if (v.expMs <= now) this.verified.delete(t);
    if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
  }
}
