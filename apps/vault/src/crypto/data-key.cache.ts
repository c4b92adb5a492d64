/**
 * Unwrapped data keys, kept in memory for a bounded time so a read does not need an HSM round
 * trip each time. Keys are zeroed when evicted; purge evicts at once. TTL 0 disables caching.
 */
export class DataKeyCache {
  private readonly entries = new Map<number, { key: Buffer; expires: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries: number, private readonly now = () => Date.now()) {}

  get(dek: number): Buffer | undefined {
    const entry = this.entries.get(dek);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.evict(dek);
      return undefined;
    }
    return entry.key;
  }

  set(dek: number, key: Buffer): void {
    if (this.ttlMs === 0 || this.maxEntries === 0) return;
    this.evict(dek);
    while (this.entries.size >= this.maxEntries) this.evict(this.entries.keys().next().value as number);
    this.entries.set(dek, { key: Buffer.from(key), expires: this.now() + this.ttlMs });
  }

  evict(dek: number): void {
    const entry = this.entries.get(dek);
    if (entry) {
      entry.key.fill(0);
      this.entries.delete(dek);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
