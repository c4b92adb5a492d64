import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

interface Proof {
  mac: Buffer;
  /** The stored credential hash the secret was verified against: the proof holds while it is live. */
  hash: string;
  expires: number;
}

/**
 * Client secrets this replica verified recently, as HMAC-SHA256 under a key that exists only in
 * this process's memory (never the secret itself). A client presenting the same secret again is
 * checked in microseconds without a crypto-worker round trip (or, for a credential not migrated
 * yet, a scrypt); that is what keeps a good client's token refresh fast during a flood, and what
 * lets it in while its client id is locked out by someone guessing (lockout then costs only those
 * who have not proven the secret here lately). Secrets are 256-bit random, so this HMAC is no easier
 * to attack than the stored hash.
 */
export class VerifiedSecrets {
  private readonly key = randomBytes(32);
  private readonly proofs = new Map<string, Proof>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  remember(clientId: string, secret: string, hash: string, now: number): void {
    if (this.ttlMs <= 0) return;
    this.proofs.delete(clientId);
    if (this.proofs.size >= this.maxEntries) this.proofs.delete(this.proofs.keys().next().value as string);
    this.proofs.set(clientId, { mac: this.mac(clientId, secret), hash, expires: now + this.ttlMs });
  }

  /** The credential hash `secret` was proven against, while the proof is fresh; else undefined. */
  provenHash(clientId: string, secret: string, now: number): string | undefined {
    const proof = this.proofs.get(clientId);
    if (!proof) return undefined;
    if (proof.expires <= now) {
      this.proofs.delete(clientId);
      return undefined;
    }
    return timingSafeEqual(proof.mac, this.mac(clientId, secret)) ? proof.hash : undefined;
  }

  forget(clientId: string): void {
    this.proofs.delete(clientId);
  }

  private mac(clientId: string, secret: string): Buffer {
    return createHmac('sha256', this.key).update(clientId).update('\0').update(secret).digest();
  }
}
