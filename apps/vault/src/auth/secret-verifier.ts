import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { FairQueue } from './fair-queue';
import { hashClientSecret, verifyClientSecret } from './client-secret';
import { LatencySampler } from './latency-sampler';
import { THROTTLE_SETTINGS, ThrottleSettings } from './throttle-settings';

/** The check was not run: the client id was locked out while it waited for its turn. */
export const SKIPPED = Symbol('skipped');

/**
 * Runs client-secret checks (scrypt: ~32 MiB and 100–200 ms of a core each) at most
 * `credentialChecks` at a time, taking waiting checks round-robin across client ids, so a flood
 * against one id delays another id's check by about one check, not by the flood's backlog.
 *
 * For a client id that has no secret to check (unknown, disabled, key-only) it does not burn a
 * scrypt as a decoy; `imitate` waits as long as a real check takes right now (a duration drawn
 * from the last checks, queueing included), so timing still does not tell which ids exist.
 */
@Injectable()
export class SecretVerifier implements OnModuleInit {
  private readonly queue: FairQueue;
  private readonly latencies = new LatencySampler(64);
  private calibration?: Promise<void>;

  constructor(@Inject(THROTTLE_SETTINGS) settings: ThrottleSettings) {
    this.queue = new FairQueue(settings.credentialChecks);
  }

  /** Times one check at start-up, so the first stand-in has a realistic duration. */
  onModuleInit(): void {
    void this.calibrate();
  }

  /**
   * The one of `hashes` that `secret` matches (undefined: none), checked in `clientId`'s turn;
   * SKIPPED (no scrypt) when `stillAllowed` says no once the turn has come.
   */
  async verify(clientId: string, secret: string, hashes: string[], stillAllowed: () => boolean): Promise<string | undefined | typeof SKIPPED> {
    const queued = performance.now();
    return this.queue.run(clientId, async () => {
      if (!stillAllowed()) return SKIPPED;
      let matched: string | undefined;
      for (const hash of hashes) {
        if (await verifyClientSecret(secret, hash)) {
          matched = hash;
          break;
        }
      }
      this.latencies.add(performance.now() - queued);
      return matched;
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
      // Hashing costs what checking costs (one scrypt with the same parameters).
      const started = performance.now();
      await hashClientSecret('calibration');
      this.latencies.add(performance.now() - started);
    })();
    return this.calibration;
  }
}
