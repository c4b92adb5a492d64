import { performance } from 'node:perf_hooks';
import { summarizeLatencies } from './stats';

export interface LoadOptions {
  /** Operations kept in flight at all times. */
  concurrency: number;
  /** Measured duration. */
  seconds: number;
  /** Unmeasured run before it (connections, JIT, caches). */
  warmupSeconds: number;
}

export interface LoadResult {
  name: string;
  concurrency: number;
  seconds: number;
  /** Successful operations completed inside the measured window. */
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
}

/**
 * Closed-loop load: `concurrency` workers each start the next operation as soon as theirs ends.
 * Only operations that start and end inside the measured window count; `op` gets a running index.
 */
export async function runClosedLoop(name: string, op: (index: number) => Promise<unknown>, opts: LoadOptions): Promise<LoadResult> {
  const measureFrom = performance.now() + opts.warmupSeconds * 1000;
  const measureUntil = measureFrom + opts.seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async () => {
    while (performance.now() < measureUntil) {
      const started = performance.now();
      let failed = false;
      try {
        await op(next++);
      } catch (err) {
        failed = true;
        if (started >= measureFrom) {
          errors++;
          firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        }
      }
      const ended = performance.now();
      if (!failed && started >= measureFrom && ended <= measureUntil) latencies.push(ended - started);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));

  return {
    name, concurrency: opts.concurrency, seconds: opts.seconds,
    ops: latencies.length,
    opsPerSec: latencies.length / opts.seconds,
    ...summarizeLatencies(latencies),
    errors,
    ...(firstError ? { firstError } : {}),
  };
}
