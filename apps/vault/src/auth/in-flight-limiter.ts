/**
 * Counts what is in progress per key and in total; `tryEnter` admits up to `perKey` for one key and
 * `total` overall and returns the function that ends the admission (call it exactly once).
 */
export class InFlightLimiter {
  private readonly perKeyCount = new Map<string, number>();
  private count = 0;

  constructor(private readonly perKey: number, private readonly total = Number.POSITIVE_INFINITY) {}

  get inFlight(): number {
    return this.count;
  }

  tryEnter(key: string): (() => void) | undefined {
    const mine = this.perKeyCount.get(key) ?? 0;
    if (mine >= this.perKey || this.count >= this.total) return undefined;
    this.perKeyCount.set(key, mine + 1);
    this.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count--;
      const n = this.perKeyCount.get(key)! - 1;
      if (n === 0) this.perKeyCount.delete(key);
      else this.perKeyCount.set(key, n);
    };
  }
}
