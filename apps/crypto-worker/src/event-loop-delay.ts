import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CryptoEventLoopDelay } from '@coffer/contracts';
import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Sampling resolution of the event-loop delay (ms). */
const RESOLUTION_MS = 10;
/** Each of the two monitors is reset every 2 × HALF_WINDOW_MS, staggered: one always holds 5–10 s. */
const HALF_WINDOW_MS = 5000;

const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

interface Window {
  histogram: IntervalHistogram;
  since: number;
}

/**
 * How long the crypto-worker's event loop waits to run (perf_hooks.monitorEventLoopDelay) over
 * the last 5–10 seconds, for the status reply: synchronous PKCS#11 calls block the loop, so this
 * shows whether RSA work really stays on the thread pool under load. An ELD histogram cannot be
 * merged into another, so two monitors take turns: every 5 s the older one starts afresh and the
 * reply reads the other, which then covers at least the last 5 s.
 */
@Injectable()
export class EventLoopDelayMonitor implements OnModuleInit, OnApplicationShutdown {
  private windows: Window[] = [];
  private timer: NodeJS.Timeout | undefined;

  onModuleInit(): void {
    const now = Date.now();
    this.windows = [0, 1].map(() => {
      const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
      return { histogram, since: now };
    });
    this.timer = setInterval(() => this.rotate(), HALF_WINDOW_MS);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.windows.forEach((w) => w.histogram.disable());
  }

  /** Percentiles of the longer-running window; undefined before the first sample. */
  snapshot(): CryptoEventLoopDelay | undefined {
    const window = [...this.windows].sort((a, b) => a.since - b.since)[0];
    if (!window || window.histogram.count === 0) return undefined;
    const { histogram } = window;
    return {
      windowMs: Date.now() - window.since,
      samples: histogram.count,
      meanMs: ms(histogram.mean),
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
    };
  }

  private rotate(): void {
    const oldest = [...this.windows].sort((a, b) => a.since - b.since)[0];
    oldest.histogram.reset();
    oldest.since = Date.now();
  }
}
