import { Inject, Injectable } from '@nestjs/common';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_SIGNING_KEY_ID, TokenReply } from '@coffer/contracts';
import { randomBytes } from 'node:crypto';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { Clock } from '../infrastructure/clock';
import { AUTH_SETTINGS, AuthSettings } from './auth-settings';
import { SigningKeys } from './signing-keys';
import { signedToken, unsignedToken } from './token-codec';

/** Issues ES256 access tokens signed by the HSM-held token-signing key (one crypto-worker call per token). */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly crypto: CryptoWorkerClient,
    private readonly clock: Clock,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  /**
   * `revokedBefore`: the principal's revocation time. iat has whole seconds and a token counts as
   * issued at the start of its second, so a token asked for in the same second as a revocation
   * would be born revoked: issuing waits for the next second instead (at most 1 s, rare).
   */
  async issue(principalId: string, revokedBefore?: string | null): Promise<TokenReply> {
    const earliest = revokedBefore ? Math.ceil(Date.parse(revokedBefore) / 1000) * 1000 : 0;
    // A timer may fire a millisecond early by the wall clock: loop until the second has really begun.
    for (let wait = earliest - this.clock.now().getTime(); wait > 0; wait = earliest - this.clock.now().getTime()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    const iat = nowSec;
    const exp = nowSec + this.settings.tokenTtlSeconds;
    const kid = await this.keys.currentKeyId();
    const unsigned = unsignedToken(kid, {
      iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: principalId, iat, nbf: nowSec, exp, jti: randomBytes(16).toString('hex'),
    });
    const signature = await this.crypto.signDigest(TOKEN_SIGNING_KEY_ID, unsigned.digest);
    return {
      accessToken: signedToken(unsigned, signature),
      tokenType: 'Bearer',
      expiresIn: exp - nowSec,
      expiresOn: new Date(exp * 1000).toISOString(),
    };
  }
}
