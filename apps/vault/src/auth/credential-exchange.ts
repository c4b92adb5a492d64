import { Injectable } from '@nestjs/common';
import { InnerErrorCodes, TokenReply, TokenRequest, unauthorized } from '@coffer/contracts';
import { PrincipalCredentialRow, ReadModel } from '@coffer/read-model';
import { Clock } from '../infrastructure/clock';
import { decoyHash, verifyClientSecret } from './client-secret';
import { verifyEd25519 } from './ed25519-credential';
import { NonceStore } from './nonce-store';
import { TokenIssuer } from './token-issuer';

/** One message for every failed exchange: it does not say whether the client id exists. */
const invalidCredential = () => unauthorized('The client id or credential is invalid.', InnerErrorCodes.InvalidCredential);

/**
 * Credential → access token: a client secret (scrypt-verified against each live secret credential)
 * or a signed challenge (the nonce is consumed first, so it works at most once, then the signature
 * is checked against each live Ed25519 key). Disabled principals get no token.
 */
@Injectable()
export class CredentialExchange {
  constructor(
    private readonly readModel: ReadModel,
    private readonly nonces: NonceStore,
    private readonly issuer: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async exchange(req: TokenRequest): Promise<TokenReply> {
    const now = this.clock.now().getTime();
    const principal = await this.readModel.getPrincipal(req.clientId);
    const live = principal?.enabled ? (await this.readModel.credentialsOf(req.clientId)).filter((c) => !c.expires || Date.parse(c.expires) > now) : [];
    const ok = req.clientSecret !== undefined ? await this.secretMatches(req.clientSecret, live) : await this.challengeMatches(req, live, now);
    if (!ok || !principal) throw invalidCredential();
    return this.issuer.issue(principal.id, principal.revokedBefore);
  }

  private async secretMatches(secret: string, credentials: PrincipalCredentialRow[]): Promise<boolean> {
    const hashes = credentials.flatMap((c) => (c.kind === 'secret' && c.hash ? [c.hash] : []));
    // Unknown or disabled principals cost one scrypt too: timing does not reveal which ids exist.
    if (hashes.length === 0) {
      await verifyClientSecret(secret, await decoyHash());
      return false;
    }
    for (const hash of hashes) if (await verifyClientSecret(secret, hash)) return true;
    return false;
  }

  private async challengeMatches(req: TokenRequest, credentials: PrincipalCredentialRow[], now: number): Promise<boolean> {
    if (req.nonce === undefined || req.signature === undefined) return false;
    if (!(await this.nonces.consume(req.nonce, req.clientId, now))) {
      throw unauthorized('The challenge nonce is unknown, expired or already used.', InnerErrorCodes.NonceInvalid);
    }
    const data = Buffer.from(req.nonce, 'utf8');
    const signature = Buffer.from(req.signature, 'base64');
    return credentials.some((c) => c.kind === 'ed25519' && c.publicKey !== null && verifyEd25519(c.publicKey, data, signature));
  }
}
