import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CLIENT_SECRET_MAC_KEY_ID } from '@coffer/contracts';
import { CryptoWorkerClient } from '../crypto/crypto-worker.client';
import { FairQueue } from './fair-queue';
import { formatKeyedHash, isLegacyHash, keyedHashInput, keyedHashMatches, verifyLegacyHash } from './client-secret';
import { LatencySampler } from './latency-sampler';
import { THROTTLE_SETTINGS, ThrottleSettings } from './throttle-settings';

/** The check was not run: the client id was locked out while it waited for its turn. */
export const SKIPPED = Symbol('skipped');

/** A stored secret credential: its id and hash. */
export interface StoredSecret {
  id: string;
  hash: string;
}

/** The credential a secret matched, and the secret's keyed hash (what that credential stores from now on). */
export interface SecretMatch {
  credential: StoredSecret;
  keyedHash: string;
}

/**
 * Client secrets are stored as a keyed hash: HMAC-SHA256 under an HSM-held key (one crypto-worker
 * call, about as cheap as the token's signature). Credentials stored before that carry a scrypt
 * hash (~32 MiB and 100–200 ms of a core), checked only when no keyed hash matches; the caller
 * replaces a matched one by the keyed hash.
 *
 * Checks run at most `credentialChecks` at a time, taking waiting checks round-robin across client
 * ids, so a flood against one id delays another id's check by about one check, not by the flood's
 * backlog. For a client id that has no secret to check (unknown, disabled, key-only) `imitate`
 * waits as long as a real check takes right now (a duration drawn from the last checks, queueing
 * included), so timing does not tell which ids exist.
 */
@Injectable()
export class SecretVerifier implements OnModuleInit {
  private readonly queue: FairQueue;
  private readonly latencies = new LatencySampler(64);
  private calibration?: Promise<void>;

  constructor(@Inject(THROTTLE_SETTINGS) settings: ThrottleSettings, private readonly crypto: CryptoWorkerClient) {
    this.queue = new FairQueue(settings.credentialChecks);
  }

  /** Times one check at start-up, so the first stand-in has a realistic duration. */
  onModuleInit(): void {
    void this.calibrate();
  }

  /** The keyed hash a new secret of `clientId` is stored as. */
  async keyedHash(clientId: string, secret: string): Promise<string> {
    return formatKeyedHash(CLIENT_SECRET_MAC_KEY_ID, await this.mac(clientId, secret));
  }

  private mac(clientId: string, secret: string): Promise<Buffer> {
    return this.crypto.keyedHash(CLIENT_SECRET_MAC_KEY_ID, keyedHashInput(clientId, secret));
  }

  /**
   * The one of `credentials` that `secret` matches (undefined: none), checked in `clientId`'s turn;
   * SKIPPED (nothing checked) when `stillAllowed` says no once the turn has come.
   */
  async verify(clientId: string, secret: string, credentials: StoredSecret[], stillAllowed: () => boolean): Promise<SecretMatch | undefined | typeof SKIPPED> {
    const queued = performance.now();
    return this.queue.run(clientId, async () => {
      if (!stillAllowed()) return SKIPPED;
      const mac = await this.mac(clientId, secret);
      // Every keyed hash is compared (constant time each), so the time does not tell which one matched.
      let credential = credentials.filter((c) => keyedHashMatches(c.hash, CLIENT_SECRET_MAC_KEY_ID, mac))[0];
      for (const old of credentials) {
        if (credential) break;
        if (isLegacyHash(old.hash) && (await verifyLegacyHash(secret, old.hash))) credential = old;
      }
      this.latencies.add(performance.now() - queued);
      return credential && { credential, keyedHash: formatKeyedHash(CLIENT_SECRET_MAC_KEY_ID, mac) };
    });
  }

  /** Waits as long as a check of a client secret currently takes. */
  async imitate(): Promise<void> {
    if (this.latencies.count === 0) await this.calibrate();
    const ms = this.latencies.sample() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** About how long a check takes now (for retry-after estimates). */
  typicalMs(): number {
    return this.latencies.mean() ?? 200;
  }

  private calibrate(): Promise<void> {
    this.calibration ??= (async () => {
      // Hashing costs what checking costs (one keyed hash); a crypto-worker not up yet leaves it to the first real check.
      const started = performance.now();
      try {
        await this.keyedHash('calibration', 'calibration');
        this.latencies.add(performance.now() - started);
      } catch {
        this.calibration = undefined;
      }
    })();
    return this.calibration;
  }
}
