import type { OpsApp } from '@coffer/config';
import { appMetrics, LATENCY_BUCKETS } from './app-metrics';

/** One label set's figures, kept in plain numbers (prom-client's own observe hashes and validates labels on every call: ~1 µs). */
interface Series {
  pattern: string;
  code: string;
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative; the last is +Inf). */
  buckets: number[];
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

type Observer = (pattern: string, errorCode: string | undefined, startedAt: number) => void;

const observers = new Map<OpsApp, Observer>();

/**
 * coffer_requests_total{subject,outcome,code} and coffer_request_duration_seconds{subject,outcome}
 * of a NATS service, as a transport RequestObserver. `subject` is the pattern a handler subscribed
 * (`coffer.v1.vault.*.secret.get`), so series stay few whatever the vaults and objects are called.
 * The request path only adds to plain numbers (two map lookups, a bucket search); the Prometheus
 * form is built when scraped, by two collectors on the app's registry.
 */
export function requestMetrics(app: OpsApp): Observer {
  const existing = observers.get(app);
  if (existing) return existing;
  const bySubject = new Map<string, Map<string, Series>>();
  const all: Series[] = [];
  const seriesOf = (pattern: string, code: string): Series => {
    let byCode = bySubject.get(pattern);
    if (!byCode) bySubject.set(pattern, (byCode = new Map()));
    let series = byCode.get(code);
    if (!series) {
      byCode.set(code, (series = { pattern, code, count: 0, sum: 0, buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0) }));
      all.push(series);
    }
    return series;
  };
  const outcome = (s: Series) => (s.code ? 'error' : 'ok');
  const { registry } = appMetrics(app);
  registry.registerMetric({
    name: 'coffer_requests_total', help: 'Requests answered, by subject pattern, outcome (ok, error) and error code', type: 'counter', aggregator: 'sum',
    get: async () => ({
      name: 'coffer_requests_total', help: 'Requests answered, by subject pattern, outcome (ok, error) and error code', type: 'counter', aggregator: 'sum',
      values: all.map((s): MetricValue => ({ value: s.count, labels: { subject: s.pattern, outcome: outcome(s), code: s.code } })),
    }),
  } as never);
  const durationHelp = 'Time from a request\'s arrival to its reply, by subject pattern and outcome';
  registry.registerMetric({
    name: 'coffer_request_duration_seconds', help: durationHelp, type: 'histogram', aggregator: 'sum',
    get: async () => ({ name: 'coffer_request_duration_seconds', help: durationHelp, type: 'histogram', aggregator: 'sum', values: histogramValues(all, outcome) }),
  } as never);
  const observer: Observer = (pattern, errorCode, startedAt) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const series = seriesOf(pattern, errorCode ?? '');
    series.count++;
    series.sum += seconds;
    let b = 0;
    while (b < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[b]) b++;
    series.buckets[b]++;
  };
  observers.set(app, observer);
  return observer;
}

/** Cumulative buckets, sum and count per (subject, outcome): the error codes of one subject add up. */
function histogramValues(all: Series[], outcome: (s: Series) => string): MetricValue[] {
  const merged = new Map<string, { labels: { subject: string; outcome: string }; count: number; sum: number; buckets: number[] }>();
  for (const s of all) {
    const key = `${s.pattern}\u0000${outcome(s)}`;
    let m = merged.get(key);
    if (!m) merged.set(key, (m = { labels: { subject: s.pattern, outcome: outcome(s) }, count: 0, sum: 0, buckets: new Array<number>(s.buckets.length).fill(0) }));
    m.count += s.count;
    m.sum += s.sum;
    s.buckets.forEach((n, i) => (m.buckets[i] += n));
  }
  const values: MetricValue[] = [];
  for (const m of merged.values()) {
    let cumulative = 0;
    m.buckets.forEach((n, i) => {
      cumulative += n;
      values.push({ metricName: 'coffer_request_duration_seconds_bucket', labels: { le: i < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[i] : '+Inf', ...m.labels }, value: cumulative });
    });
    values.push({ metricName: 'coffer_request_duration_seconds_sum', labels: m.labels, value: m.sum });
    values.push({ metricName: 'coffer_request_duration_seconds_count', labels: m.labels, value: m.count });
  }
  return values;
}
