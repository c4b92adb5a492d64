import { Inject, Injectable } from '@nestjs/common';
import { KV, NatsConnection, StorageType } from 'nats';
import { randomBytes } from 'node:crypto';
import { CofferConfig } from '@coffer/config';
import { COFFER_CONFIG, NATS_CONNECTION } from '../infrastructure/tokens';

export const NONCE_BUCKET = 'COFFER_AUTH_NONCES';
export const NONCE_TTL_MS = 2 * 60_000;

interface StoredNonce {
  clientId: string;
  expires: number;
}

/**
 * Challenge nonces in a JetStream KV bucket (file storage, 2 min TTL), shared by every vault
 * replica. A nonce is consumed by deleting exactly the revision that was read, so of two
 * concurrent uses (on any replicas) at most one succeeds.
 */
@Injectable()
export class NonceStore {
  private kv?: Promise<KV>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(COFFER_CONFIG) private readonly config: CofferConfig,
  ) {}

  async issue(clientId: string, nowMs: number): Promise<{ nonce: string; expiresOn: string }> {
    const nonce = randomBytes(32).toString('base64url');
    const expires = nowMs + NONCE_TTL_MS;
    await (await this.bucket()).create(nonce, Buffer.from(JSON.stringify({ clientId, expires } satisfies StoredNonce)));
    return { nonce, expiresOn: new Date(expires).toISOString() };
  }

  /** True exactly once for a live nonce issued to `clientId`; false for unknown, used, expired or foreign nonces. */
  async consume(nonce: string, clientId: string, nowMs: number): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(nonce)) return false;
    const kv = await this.bucket();
    const entry = await kv.get(nonce);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return false;
    try {
      await kv.delete(nonce, { previousSeq: entry.revision });
    } catch {
      return false; // another request consumed it first
    }
    let stored: StoredNonce;
    try {
      stored = JSON.parse(entry.string()) as StoredNonce;
    } catch {
      return false;
    }
    return stored.clientId === clientId && stored.expires > nowMs;
  }

  private bucket(): Promise<KV> {
    this.kv ??= this.nc.jetstream().views.kv(NONCE_BUCKET, { ttl: NONCE_TTL_MS, storage: StorageType.File, history: 1, replicas: this.config.streamReplicas }).catch((err) => {
      this.kv = undefined;
      throw err;
    });
    return this.kv;
  }
}
