import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthSubjects, CofferError, InnerErrorCodes, serviceUnavailable, throttled, TokenReply, TokenRequest, unauthorized } from '@coffer/contracts';
import { PrincipalCredentialRow, ReadModel } from '@coffer/read-model';
import { AUDIT_SINK, AuditSink } from '../audit/audit-sink';
import { internalRequest } from '../commands/request-key';
import { Clock } from '../infrastructure/clock';
import { PrincipalWriter } from '../principals/principal-writer';
import { CredentialLockout } from './credential-lockout';
import { verifyEd25519 } from './ed25519-credential';
import { InFlightLimiter } from './in-flight-limiter';
import { NonceStore } from './nonce-store';
import { RequestThrottle, TOKEN_ACTION } from './request-throttle';
import { SecretMatch, SecretVerifier, SKIPPED } from './secret-verifier';
import { THROTTLE_SETTINGS, ThrottleSettings } from './throttle-settings';
import { TokenIssuer } from './token-issuer';
import { VerifiedSecrets } from './verified-secrets';

/** One message for every failed exchange: it does not say whether the client id exists. */
const invalidCredential = () => unauthorized('The client id or credential is invalid.', InnerErrorCodes.InvalidCredential);

const lockedOut = (ms: number) =>
  throttled(`Too many failed sign-ins for this client id; it is locked out for ${Math.ceil(ms / 1000)} s.`, InnerErrorCodes.CredentialLockedOut, ms);

export const LOCKOUT_AUDIT_ACTION = 'Coffer/auth/lockout';

/**
 * Credential → access token: a client secret (its HSM-keyed hash compared with each live secret
 * credential's, see SecretVerifier) or a signed challenge (the nonce is consumed first, so it works
 * at most once, then the signature is checked against each live Ed25519 key). Disabled principals
 * get no token. A secret that matched an old scrypt hash has that hash replaced by its keyed hash
 * (CredentialRehashed), once: the append is a compare-and-set on the old hash.
 *
 * A client secret this replica verified lately is recognised by an in-memory keyed hash
 * (VerifiedSecrets) without the HSM, and is let in even while its client id is locked out.
 * Otherwise, abuse resistance, cheapest refusal first: too many requests for this client id
 * (Throttled/TooManyRequests, RequestThrottle.admitClient); a client id (per credential kind)
 * locked out after repeated failures is refused before any lookup or check (Throttled/
 * CredentialLockedOut); the exchanges in progress are bounded per client id and in total
 * (Throttled/TooManyRequests); the checks run a few at a time, fair across client ids
 * (SecretVerifier). Unknown ids take the same path and the same time as known ones.
 */
@Injectable()
export class CredentialExchange {
  private readonly logger = new Logger(CredentialExchange.name);
  private readonly admission: InFlightLimiter;
  private readonly verified: VerifiedSecrets;

  constructor(
    private readonly readModel: ReadModel,
    private readonly nonces: NonceStore,
    private readonly issuer: TokenIssuer,
    private readonly clock: Clock,
    private readonly lockout: CredentialLockout,
    private readonly verifier: SecretVerifier,
    @Inject(AUDIT_SINK) private readonly audit: AuditSink,
    private readonly throttle: RequestThrottle,
    private readonly principals: PrincipalWriter,
    @Inject(THROTTLE_SETTINGS) settings: ThrottleSettings,
  ) {
    this.admission = new InFlightLimiter(settings.credentialPendingPerClient, settings.credentialPending);
    this.verified = new VerifiedSecrets(settings.verifiedSecretTtlMs);
  }

  async exchange(req: TokenRequest, requestId: string): Promise<TokenReply> {
    if (req.clientSecret !== undefined) {
      const proven = await this.provenPrincipal(req.clientId, req.clientSecret);
      if (proven) return this.issuer.issue(proven.id, proven.revokedBefore);
    }
    await this.throttle.admitClient(TOKEN_ACTION, req.clientId);
    const lockoutKey = `${req.clientSecret !== undefined ? 'secret' : 'key'}:${req.clientId}`;
    const locked = this.lockout.lockedForMs(lockoutKey);
    if (locked !== undefined) throw lockedOut(locked);
    const leave = this.admission.tryEnter(req.clientId);
    if (!leave) {
      throw throttled('Too many sign-ins are in progress; retry shortly.', InnerErrorCodes.TooManyRequests, this.verifier.typicalMs());
    }
    try {
      const principal = await this.check(req, lockoutKey);
      this.lockout.succeeded(lockoutKey);
      return await this.issuer.issue(principal.id, principal.revokedBefore);
    } catch (err) {
      if (err instanceof CofferError && (err.innerCode === InnerErrorCodes.InvalidCredential || err.innerCode === InnerErrorCodes.NonceInvalid)) {
        await this.failed(lockoutKey, req.clientId, requestId);
      }
      throw err;
    } finally {
      leave();
    }
  }

  /** The principal, when `secret` was proven here lately against a credential that is still live; else undefined (take the full path). */
  private async provenPrincipal(clientId: string, secret: string) {
    const now = this.clock.now().getTime();
    const hash = this.verified.provenHash(clientId, secret, Date.now());
    if (hash === undefined) return undefined;
    const principal = await this.readModel.getPrincipal(clientId);
    const live = principal?.enabled && (await this.readModel.credentialsOf(clientId)).some((c) => c.kind === 'secret' && c.hash === hash && (!c.expires || Date.parse(c.expires) > now));
    if (live) return principal;
    this.verified.forget(clientId);
    return undefined;
  }

  /** The principal the credential proves, or InvalidCredential/NonceInvalid/CredentialLockedOut. */
  private async check(req: TokenRequest, lockoutKey: string) {
    const now = this.clock.now().getTime();
    const principal = await this.readModel.getPrincipal(req.clientId);
    const live = principal?.enabled ? (await this.readModel.credentialsOf(req.clientId)).filter((c) => !c.expires || Date.parse(c.expires) > now) : [];
    const ok =
      req.clientSecret !== undefined ? await this.secretMatches(req.clientId, req.clientSecret, live, lockoutKey) : await this.challengeMatches(req, live, now);
    if (!ok || !principal) throw invalidCredential();
    return principal;
  }

  private async secretMatches(clientId: string, secret: string, credentials: PrincipalCredentialRow[], lockoutKey: string): Promise<boolean> {
    const secrets = credentials.flatMap((c) => (c.kind === 'secret' && c.hash ? [{ id: c.id, hash: c.hash }] : []));
    if (secrets.length === 0) {
      await this.verifier.imitate();
      return false;
    }
    // Another request may have locked the id out while this one waited for its turn: then no check.
    const matched = await this.verifier.verify(clientId, secret, secrets, () => this.lockout.lockedForMs(lockoutKey) === undefined);
    if (matched === SKIPPED) throw lockedOut(this.lockout.lockedForMs(lockoutKey) ?? 1);
    if (matched === undefined) return false;
    const stored = matched.credential.hash === matched.keyedHash ? matched.keyedHash : await this.rehash(clientId, matched);
    this.verified.remember(clientId, secret, stored, Date.now());
    return true;
  }

  /**
   * Replaces an old hash by the keyed one (the same request id on every replica, and a compare-and-set
   * on the old hash, so it is written once); the hash the credential now has. A failure does not
   * refuse the sign-in: the next one tries again.
   */
  private async rehash(clientId: string, { credential, keyedHash }: SecretMatch): Promise<string> {
    try {
      await this.principals.run(clientId, internalRequest(`rehash-${credential.id}`, 'rehash'), {
        type: 'RehashCredential', principalId: clientId, credentialId: credential.id, previousHash: credential.hash, hash: keyedHash, now: this.clock.now(),
      });
      return keyedHash;
    } catch (err) {
      if (err instanceof CofferError && err.innerCode === InnerErrorCodes.VersionMismatch) return keyedHash;
      this.logger.warn(`credential ${credential.id} of ${clientId} keeps its old hash for now: ${err instanceof CofferError ? err.code : 'internal error'}`);
      return credential.hash;
    }
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

  /** Counts a failure; a failure that starts a lockout leaves one audit record (fail closed, as every record). */
  private async failed(lockoutKey: string, clientId: string, requestId: string): Promise<void> {
    const lockedForMs = this.lockout.failed(lockoutKey);
    if (lockedForMs === undefined) return;
    try {
      await this.audit.record({
        time: this.clock.now().toISOString(),
        requestId,
        principal: clientId,
        action: LOCKOUT_AUDIT_ACTION,
        objectId: '/',
        outcome: 'denied',
        errorCode: 'Throttled',
        subject: AuthSubjects.token,
      });
    } catch {
      throw serviceUnavailable('The request could not be recorded in the audit trail; retry later.', InnerErrorCodes.AuditUnavailable);
    }
  }
}
