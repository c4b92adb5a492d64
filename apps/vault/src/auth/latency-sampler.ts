/**
 * The last `size` durations of an operation. `sample()` draws one of them at random, so a stand-in
 * that waits a sample takes as long as the real thing does now, with the same spread.
 */
export class LatencySampler {
  private readonly samples: number[] = [];
  private nextSlot = 0;

  constructor(private readonly size = 64, private readonly random: () => number = Math.random) {}

  get count(): number {
    return this.samples.length;
  }

  add(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    if (this.samples.length < this.size) this.samples.push(ms);
    else this.samples[this.nextSlot] = ms;
    this.nextSlot = (this.nextSlot + 1) % this.size;
  }

  /** A recorded duration chosen at random (undefined before the first). */
  sample(): number | undefined {
    return this.samples.length === 0 ? undefined : this.samples[Math.floor(this.random() * this.samples.length)];
  }

  /** The mean of the recorded durations (undefined before the first). */
  mean(): number | undefined {
    return this.samples.length === 0 ? undefined : this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
  }
}
