import type { OpsApp } from '@coffer/config';
import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry } from 'prom-client';


/** Request latency buckets (seconds): 0.5 ms … 10 s; the vault answers a cached get in ~1 ms. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One Prometheus registry per app and process (several apps share a process in tests): each app
 * defines its own instruments on it, once. Every series carries an `app` label, so one Prometheus
 * job can scrape them all; Node's process metrics (CPU, memory, event-loop lag, GC) keep their
 * usual unprefixed names.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private defaults = false;

  constructor(readonly app: OpsApp) {
    this.registry.setDefaultLabels({ app });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (this.registry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (this.registry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (this.registry.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  /** Process metrics, collected at scrape time; only for the app that serves the endpoint (once). */
  withProcessMetrics(): this {
    if (!this.defaults) collectDefaultMetrics({ register: this.registry });
    this.defaults = true;
    return this;
  }
}

const apps = new Map<OpsApp, AppMetrics>();

/** The registry of `app` in this process. */
export function appMetrics(app: OpsApp): AppMetrics {
  let metrics = apps.get(app);
  if (!metrics) apps.set(app, (metrics = new AppMetrics(app)));
  return metrics;
}
