import { DEV_TIME_BUCKET, DEV_TIME_KEY, DevTimeOffset } from '@coffer/contracts';
import { KV, KvEntry, NatsConnection, StorageType } from 'nats';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function offsetOf(entry: KvEntry | null): number {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return 0;
  try {
    const parsed = JSON.parse(decoder.decode(entry.value)) as Partial<DevTimeOffset>;
    return Number.isFinite(parsed.offsetMs) ? Number(parsed.offsetMs) : 0;
  } catch {
    return 0;
  }
}

/**
 * The development time shift, shared by every process through one JetStream KV entry: each
 * process reads it at start and watches it, so a `coffer dev time-shift` reaches the vault
 * replicas and the scheduler within moments. Only opened in dev mode (COFFER_DEV_MODE=1).
 */
export class DevTime {
  private offset = 0;
  private updates?: { stop(): void };

  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, replicas: number): Promise<DevTime> {
    const kv = await nc.jetstream().views.kv(DEV_TIME_BUCKET, { history: 1, storage: StorageType.File, replicas });
    const devTime = new DevTime(kv);
    devTime.offset = offsetOf(await kv.get(DEV_TIME_KEY));
    await devTime.follow();
    return devTime;
  }

  /** Milliseconds added to the real time. */
  get offsetMs(): number {
    return this.offset;
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** Sets the shared offset; resolves once it is stored (and applied here). */
  async set(offsetMs: number, updated: Date): Promise<void> {
    const value: DevTimeOffset = { offsetMs, updated: updated.toISOString() };
    await this.kv.put(DEV_TIME_KEY, encoder.encode(JSON.stringify(value)));
    this.offset = offsetMs;
  }

  stop(): void {
    this.updates?.stop();
  }

  private async follow(): Promise<void> {
    const updates = await this.kv.watch({ key: DEV_TIME_KEY });
    this.updates = updates;
    void (async () => {
      for await (const entry of updates) this.offset = offsetOf(entry);
    })().catch(() => undefined);
  }
}
