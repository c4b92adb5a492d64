import { Inject, Injectable } from '@nestjs/common';
import {
  CofferError, CryptoOp, CryptoStatusReply, EnsureKekReply, ErrorCodes, GenerateDataKeyReply, InnerErrorCodes, InternalSubjects, isWireErrorReply, KeyedHashReply,
  serviceUnavailable, SignDigestReply, SigningKeyReply, UnwrapDataKeyReply,
} from '@coffer/contracts';
import { CofferConfig } from '@coffer/config';
import { NatsConnection, NatsError } from 'nats';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';

/** Thrown when the crypto-worker answered with an error: a bug or a broken HSM, never the caller's fault. */
export class CryptoWorkerError extends Error {}

/** Request-reply to the crypto-worker, the only process that talks to the HSM. */
@Injectable()
export class CryptoWorkerClient {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
  ) {}

  ensureKek(kekId: string): Promise<EnsureKekReply> {
    return this.call('kek.ensure', { kekId });
  }

  async generateDataKey(kekId: string): Promise<{ plaintext: Buffer; wrapped: string }> {
    const reply = await this.call<GenerateDataKeyReply>('datakey.generate', { kekId });
    return { plaintext: Buffer.from(reply.plaintext, 'base64'), wrapped: reply.wrapped };
  }

  async unwrapDataKey(kekId: string, wrapped: string): Promise<Buffer> {
    const reply = await this.call<UnwrapDataKeyReply>('datakey.unwrap', { kekId, wrapped });
    return Buffer.from(reply.plaintext, 'base64');
  }

  /** The public JWK of an HSM-held EC P-256 signing key (created on first use). */
  ensureSigningKey(keyId: string): Promise<SigningKeyReply> {
    return this.call('signingkey.ensure', { keyId });
  }

  /** ES256 signature (r‖s) of a SHA-256 digest by an HSM-held key. */
  async signDigest(keyId: string, digest: Buffer): Promise<Buffer> {
    const reply = await this.call<SignDigestReply>('sign', { keyId, digest: digest.toString('base64') });
    return Buffer.from(reply.signature, 'base64');
  }

  /** HMAC-SHA256 of `data` under the HSM-held secret key `keyId` (made on first use; it never leaves the HSM). */
  async keyedHash(keyId: string, data: Buffer): Promise<Buffer> {
    const reply = await this.call<KeyedHashReply>('keyedhash', { keyId, data: data.toString('base64') });
    return Buffer.from(reply.mac, 'base64');
  }

  status(timeoutMs: number): Promise<CryptoStatusReply> {
    return this.call('status', {}, { timeout: timeoutMs });
  }

  /**
   * One request to the worker. Worker errors are internal (CryptoWorkerError) unless
   * `passBadParameter`: then a BadParameter the worker found in caller-supplied input (a key
   * operation's ciphertext, digest…) reaches the caller as is.
   */
  async call<T>(op: CryptoOp, body: object, options: { timeout?: number; passBadParameter?: boolean } = {}): Promise<T> {
    let data: Uint8Array;
    try {
      data = (await this.nc.request(InternalSubjects.crypto(op), Buffer.from(JSON.stringify(body)), { timeout: options.timeout ?? this.config.cryptoTimeoutMs })).data;
    } catch (err) {
      // No responders (worker down) or timeout (worker died mid-request): fail fast, never hang.
      const code = (err as NatsError).code;
      throw serviceUnavailable(
        `The crypto-worker is unavailable (${code === '503' ? 'no responders' : code === 'TIMEOUT' ? 'timed out' : 'request failed'}).`,
        InnerErrorCodes.CryptoWorkerUnavailable,
      );
    }
    const reply = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    if (!isWireErrorReply(reply)) return reply as T;
    const { code, message, innererror } = reply.error;
    if (code === ErrorCodes.ServiceUnavailable) throw serviceUnavailable('The HSM is unavailable.', InnerErrorCodes.CryptoWorkerUnavailable);
    if (code === ErrorCodes.BadParameter && options.passBadParameter) throw new CofferError(ErrorCodes.BadParameter, message, innererror?.code);
    throw new CryptoWorkerError(`crypto-worker ${op} failed: ${code}: ${message}`);
  }
}
