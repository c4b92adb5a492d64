interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Runs at most `concurrency` jobs at once; waiting jobs are taken round-robin across keys (FIFO
 * within a key), so a key with many jobs queued (an attacker hammering one client id) delays
 * another key's job by at most one turn of each busy key, not by its whole backlog.
 * Admission limits are the caller's: this queue is unbounded.
 */
export class FairQueue {
  private readonly waiting = new Map<string, Job[]>();
  /** Keys with waiting jobs, in the order they get their next turn. */
  private readonly turns: string[] = [];
  private turn = 0;
  private active = 0;
  private pending = 0;

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new Error('FairQueue concurrency must be at least 1');
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.pending;
  }

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const jobs = this.waiting.get(key);
      const entry: Job = { run: job, resolve: resolve as (v: unknown) => void, reject };
      this.pending++;
      if (jobs) jobs.push(entry);
      else {
        this.waiting.set(key, [entry]);
        this.turns.push(key);
      }
      this.next();
    });
  }

  private next(): void {
    while (this.active < this.concurrency && this.turn < this.turns.length) {
      const key = this.turns[this.turn++];
      const jobs = this.waiting.get(key)!;
      const job = jobs.shift()!;
      this.pending--;
      if (jobs.length > 0) this.turns.push(key);
      else this.waiting.delete(key);
      // Drop the consumed prefix now and then so `turns` does not grow without bound.
      if (this.turn > 1024 && this.turn * 2 > this.turns.length) {
        this.turns.splice(0, this.turn);
        this.turn = 0;
      }
      this.active++;
      let started: Promise<unknown>;
      try {
        started = job.run();
      } catch (err) {
        started = Promise.reject(err);
      }
      started.then(job.resolve, job.reject).finally(() => {
        this.active--;
        this.next();
      });
    }
  }
}
