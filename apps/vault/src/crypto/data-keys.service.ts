import { Inject, Injectable } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { Keyring } from '@coffer/event-store';
import { CryptoWorkerClient } from './crypto-worker.client';
import { DataKeyCache } from './data-key.cache';
import { COFFER_CONFIG } from '../infrastructure/tokens';

/** A data key with its keyring id, ready to encrypt or decrypt values. */
export interface DataKey {
  dek: number;
  key: Buffer;
}

/** Raised when a data key has been erased: the object was purged (crypto-shredded). */
export class DataKeyErasedError extends Error {}

/**
 * Data keys of objects: generated and wrapped by the HSM (via the crypto-worker), stored wrapped
 * in the keyring stream, unwrapped on demand and cached for a bounded time.
 */
@Injectable()
export class DataKeysService {
  private readonly cache: DataKeyCache;
  private readonly unwrapping = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly crypto: CryptoWorkerClient,
    private readonly keyring: Keyring,
    @Inject(COFFER_CONFIG) config: CofferConfig,
  ) {
    this.cache = new DataKeyCache(config.dekCacheTtlMs, config.dekCacheMaxEntries);
  }

  /** A fresh data key for a new object, stored wrapped in the keyring under the vault's KEK. */
  async create(vault: string, kekId: string, name: string): Promise<DataKey> {
    const { plaintext, wrapped } = await this.crypto.generateDataKey(kekId);
    const dek = await this.keyring.put({ vault, objectType: 'secret', name, kekId, wrapped });
    this.cache.set(dek, plaintext);
    return { dek, key: plaintext };
  }

  /** The plaintext data key with keyring id `dek`; concurrent callers share one unwrap. */
  async get(dek: number): Promise<DataKey> {
    const cached = this.cache.get(dek);
    if (cached) return { dek, key: cached };
    let pending = this.unwrapping.get(dek);
    if (!pending) {
      pending = this.unwrap(dek).finally(() => this.unwrapping.delete(dek));
      this.unwrapping.set(dek, pending);
    }
    return { dek, key: await pending };
  }

  /** Crypto-shredding: erase the wrapped keys for good and forget any cached copy. */
  async shred(deks: readonly number[]): Promise<void> {
    for (const dek of deks) {
      this.cache.evict(dek);
      await this.keyring.erase(dek);
    }
  }

  private async unwrap(dek: number): Promise<Buffer> {
    const entry = await this.keyring.get(dek);
    if (!entry) throw new DataKeyErasedError(`data key ${dek} has been erased`);
    const key = await this.crypto.unwrapDataKey(entry.kekId, entry.wrapped);
    this.cache.set(dek, key);
    return key;
  }
}
