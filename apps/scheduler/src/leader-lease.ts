import { SCHEDULER_LEASE_BUCKET, SCHEDULER_LEASE_KEY } from '@coffer/contracts';
import { KV, NatsConnection, StorageType } from 'nats';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Exactly one active scheduler: a lease in a JetStream KV bucket whose entries expire after the
 * lease TTL. The holder renews with a revision-checked update; a standby's create succeeds only
 * once the entry is gone (expired, or released on shutdown), so a dead holder is replaced within
 * about one TTL. Leadership is trusted for 2/3 of a TTL after the last successful renewal, so a
 * holder cut off from NATS stops acting before anyone else can take over. (Two leaders for a
 * moment would still be harmless: every action carries a deterministic request id.)
 */
export class LeaderLease {
  private revision: number | undefined;
  private renewedAt = 0;

  private constructor(private readonly kv: KV, readonly replicaId: string, private readonly ttlMs: number) {}

  static async open(nc: NatsConnection, replicaId: string, ttlMs: number, replicas: number): Promise<LeaderLease> {
    const kv = await nc.jetstream().views.kv(SCHEDULER_LEASE_BUCKET, { ttl: ttlMs, history: 1, storage: StorageType.File, replicas });
    return new LeaderLease(kv, replicaId, ttlMs);
  }

  /** How often to call tick(): well inside the TTL. */
  get renewEveryMs(): number {
    return Math.max(100, Math.floor(this.ttlMs / 3));
  }

  /** Renews the lease we hold, or tries to take a free one; true while we lead. Never throws. */
  async tick(): Promise<boolean> {
    try {
      const value = encoder.encode(JSON.stringify({ replicaId: this.replicaId, at: new Date().toISOString() }));
      if (this.revision !== undefined) {
        this.revision = await this.kv.update(SCHEDULER_LEASE_KEY, value, this.revision);
      } else {
        this.revision = await this.kv.create(SCHEDULER_LEASE_KEY, value);
      }
      this.renewedAt = Date.now();
    } catch {
      // Taken by another replica (create/update refused), or NATS unreachable: not the leader.
      this.revision = undefined;
    }
    return this.isLeader();
  }

  /** Real time on purpose: the lease expires on the server's clock, not a dev-shifted one. */
  isLeader(): boolean {
    return this.revision !== undefined && Date.now() - this.renewedAt < (this.ttlMs * 2) / 3;
  }

  /** The current holder's replica id, if any (for status). */
  async holder(): Promise<string | undefined> {
    const entry = await this.kv.get(SCHEDULER_LEASE_KEY).catch(() => null);
    if (!entry || entry.operation !== 'PUT') return undefined;
    try {
      return (JSON.parse(decoder.decode(entry.value)) as { replicaId?: string }).replicaId;
    } catch {
      return undefined;
    }
  }

  /** Gives the lease up at once (clean shutdown), so a standby need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.revision === undefined) return;
    const revision = this.revision;
    this.revision = undefined;
    await this.kv.delete(SCHEDULER_LEASE_KEY, { previousSeq: revision }).catch(() => undefined);
  }
}
