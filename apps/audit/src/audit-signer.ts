import { JsonWebKey } from 'node:crypto';
import { AUDIT_SIGNING_KEY_ID, InternalSubjects, isWireErrorReply, SignDigestReply, SigningKeyReply } from '@coffer/contracts';
import { NatsConnection, NatsError } from 'nats';

/** Signs checkpoint digests with the HSM-held audit key, and gives its public JWK for verification. */
export interface AuditSigner {
  readonly keyId: string;
  /** ECDSA P-256 over a SHA-256 digest; r‖s (64 bytes). */
  sign(digest: Buffer): Promise<Buffer>;
  publicJwk(): Promise<JsonWebKey>;
}

export class AuditSignerUnavailableError extends Error {
  override readonly name = 'AuditSignerUnavailableError';
}

/** The crypto-worker's `sign` and `signingkey.ensure` operations over NATS. */
export class NatsAuditSigner implements AuditSigner {
  private jwk?: JsonWebKey;

  constructor(private readonly nc: NatsConnection, readonly keyId = AUDIT_SIGNING_KEY_ID, private readonly timeoutMs = 5_000) {}

  async sign(digest: Buffer): Promise<Buffer> {
    const reply = await this.call<SignDigestReply>('sign', { keyId: this.keyId, digest: digest.toString('base64') });
    const signature = Buffer.from(reply.signature, 'base64');
    if (signature.length !== 64) throw new AuditSignerUnavailableError(`crypto-worker sign returned ${signature.length} bytes, expected 64`);
    return signature;
  }

  async publicJwk(): Promise<JsonWebKey> {
    this.jwk ??= (await this.call<SigningKeyReply>('signingkey.ensure', { keyId: this.keyId })).jwk;
    return this.jwk;
  }

  private async call<T>(op: 'sign' | 'signingkey.ensure', body: object): Promise<T> {
    let data: Uint8Array;
    try {
      data = (await this.nc.request(InternalSubjects.crypto(op), JSON.stringify(body), { timeout: this.timeoutMs })).data;
    } catch (err) {
      throw new AuditSignerUnavailableError(`crypto-worker ${op}: ${(err as NatsError).code ?? 'request failed'}`);
    }
    const reply = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    if (isWireErrorReply(reply)) throw new AuditSignerUnavailableError(`crypto-worker ${op} failed: ${reply.error.code}`);
    return reply as T;
  }
}
