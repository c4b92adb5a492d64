import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwksReply, TOKEN_SIGNING_KEY_ID } from '@coffer/contracts';
import { createPublicKey, KeyObject } from 'node:crypto';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';

const REFETCH_INTERVAL_MS = 5000;

/**
 * The token-signing key's public half, fetched from the crypto-worker once and cached, so tokens
 * are verified in software. An unknown `kid` refetches (at most every few seconds: a flood of
 * forged kids cannot turn into a flood of HSM calls).
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly keys = new Map<string, KeyObject>();
  private currentKid?: string;
  private fetching?: Promise<void>;
  private lastFetch = 0;

  constructor(private readonly crypto: CryptoWorkerClient) {}

  onApplicationBootstrap(): void {
    // Best effort: a crypto-worker that starts later is asked again on first use.
    this.refresh().catch((err: Error) => this.logger.warn(`token-signing key not fetched yet: ${err.message}`));
  }

  /** The kid tokens are signed with now. */
  async currentKeyId(): Promise<string> {
    if (!this.currentKid) await this.refresh();
    return this.currentKid as string;
  }

  /**
   * The current verification key as a JWK set, for anyone (an OpenID authority's jwks_uri). Built
   * from the public KeyObject, so it can hold nothing but public members whatever the worker sent.
   */
  async publicJwks(): Promise<JwksReply> {
    const kid = await this.currentKeyId();
    const { x, y } = (this.keys.get(kid) as KeyObject).export({ format: 'jwk' });
    return { keys: [{ kty: 'EC', crv: 'P-256', x: x as string, y: y as string, kid, use: 'sig', alg: 'ES256' }] };
  }

  /** The verification key for `kid`, or undefined when the crypto-worker does not know it. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = this.keys.get(kid);
    if (known) return known;
    if (Date.now() - this.lastFetch >= REFETCH_INTERVAL_MS || this.keys.size === 0) await this.refresh().catch(() => undefined);
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        this.lastFetch = Date.now();
        const { jwk } = await this.crypto.ensureSigningKey(TOKEN_SIGNING_KEY_ID);
        this.keys.set(jwk.kid, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' }));
        this.currentKid = jwk.kid;
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }
}
