import { Injectable, Logger } from '@nestjs/common';
import {
  BatchReply, CipherReply, Curve, CryptoOp, DestroyKeysReply, ExportKeyReply, ExportPrivateKeyReply, GenerateKeyReply, ImportKeyReply, KeyFamily, PublicKeyMaterial,
  RandomBytesReply, RestoreKeyReply, SignReply,
} from '@coffer/contracts';
import { CryptoWorkerClient } from './crypto-worker.client';

/** A private- or secret-key cipher operation, in bytes (the client does the base64 of the internal protocol). */
export interface KeyCipherInput {
  hsmKeyId: string;
  alg: string;
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}
export interface KeyCipherOutput {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
}

const b64 = (b: Buffer | undefined) => b?.toString('base64');
const bytes = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, 'base64'));
const cipherOutput = (r: CipherReply): KeyCipherOutput => ({ value: Buffer.from(r.value, 'base64'), ...(r.iv && { iv: bytes(r.iv) }), ...(r.tag && { tag: bytes(r.tag) }) });

/**
 * Request-reply to the crypto-worker's key subjects (`coffer.internal.crypto.key.*`, `random`):
 * everything that needs private or secret key material. Timeouts and a missing worker are
 * ServiceUnavailable, as for CryptoWorkerClient; unlike there, the worker's BadParameter replies
 * (ciphertext that does not decrypt, a wrapped key that does not unwrap) are the caller's mistakes
 * and reach the caller unchanged. Any other worker error is internal.
 */
@Injectable()
export class KeyCryptoClient {
  private readonly logger = new Logger(KeyCryptoClient.name);

  constructor(private readonly worker: CryptoWorkerClient) {}

  async generate(hsmKeyId: string, kty: KeyFamily, spec: { size?: number; publicExponent?: number; crv?: Curve; exportable?: boolean }): Promise<PublicKeyMaterial> {
    return (await this.call<GenerateKeyReply>('key.generate', { hsmKeyId, kty, ...spec })).publicKey;
  }

  async importKey(hsmKeyId: string, jwk: Record<string, string>, options: { exportable?: boolean } = {}): Promise<PublicKeyMaterial> {
    return (await this.call<ImportKeyReply>('key.import', { hsmKeyId, jwk, ...(options.exportable && { exportable: true }) })).publicKey;
  }

  async sign(hsmKeyId: string, alg: string, digest: Buffer): Promise<Buffer> {
    return Buffer.from((await this.call<SignReply>('key.sign', { hsmKeyId, alg, digest: b64(digest) })).value, 'base64');
  }

  async cipher(op: 'key.encrypt' | 'key.decrypt' | 'key.wrap' | 'key.unwrap', input: KeyCipherInput): Promise<KeyCipherOutput> {
    const { hsmKeyId, alg, value, iv, tag, aad } = input;
    return cipherOutput(await this.call<CipherReply>(op, { hsmKeyId, alg, value: b64(value), iv: b64(iv), tag: b64(tag), aad: b64(aad) }));
  }

  /** Unwraps under one version and wraps under another inside the worker: the plaintext never reaches the vault. */
  async rewrap(req: { fromHsmKeyId: string; toHsmKeyId: string; toPublicKey?: PublicKeyMaterial; alg: string; value: Buffer }): Promise<Buffer> {
    return Buffer.from((await this.call<CipherReply>('key.rewrap', { ...req, value: b64(req.value) })).value, 'base64');
  }

  batch(hsmKeyId: string, op: 'sign' | 'encrypt', alg: string, items: Array<{ value: Buffer; aad?: Buffer }>): Promise<BatchReply> {
    return this.call<BatchReply>('key.batch', { hsmKeyId, op, alg, items: items.map((i) => ({ value: b64(i.value), aad: b64(i.aad) })) });
  }

  async destroy(hsmKeyIds: string[]): Promise<number> {
    if (hsmKeyIds.length === 0) return 0;
    return (await this.call<DestroyKeysReply>('key.destroy', { hsmKeyIds })).destroyed;
  }

  /**
   * Destroys HSM objects no event references (a refused or lost create/import/rotate/restore). Best
   * effort: a failure is logged, never thrown, so it cannot hide the error that made them orphans.
   */
  async destroyOrphans(hsmKeyIds: string[]): Promise<void> {
    if (hsmKeyIds.length === 0) return;
    await this.destroy(hsmKeyIds).catch((err: unknown) =>
      this.logger.error(`could not destroy orphaned HSM keys ${hsmKeyIds.join(', ')}: ${(err as Error).message}`));
  }

  /** A version's material wrapped by the vault's trusted backup key (the backup key itself never leaves the HSM). */
  exportKey(hsmKeyId: string): Promise<ExportKeyReply> {
    return this.call<ExportKeyReply>('key.export', { hsmKeyId });
  }

  /** PKCS#8 of a key generated exportable (certificate secrets only); the caller zeroes it when done. */
  async exportPrivateKey(hsmKeyId: string): Promise<Buffer> {
    return Buffer.from((await this.call<ExportPrivateKeyReply>('key.exportprivate', { hsmKeyId })).pkcs8, 'base64');
  }

  async restoreKey(req: { hsmKeyId: string; kty: KeyFamily; wrapped: string; publicKey: PublicKeyMaterial }): Promise<PublicKeyMaterial> {
    return (await this.call<RestoreKeyReply>('key.restore', req)).publicKey;
  }

  async random(count: number): Promise<Buffer> {
    return Buffer.from((await this.call<RandomBytesReply>('random', { count })).value, 'base64');
  }

  private call<T>(op: CryptoOp, body: object): Promise<T> {
    return this.worker.call<T>(op, body, { passBadParameter: true });
  }
}
