import type { OpsApp } from '@coffer/config';
import { appMetrics, LATENCY_BUCKETS } from './app-metrics';

interface Series {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * coffer_requests_total{subject,outcome,code} and coffer_request_duration_seconds{subject,outcome}
 * of a NATS service, as a transport RequestObserver. `subject` is the pattern a handler subscribed
 * (`coffer.v1.vault.*.secret.get`), so series stay few whatever the vaults and objects are called;
 * each label set's children are looked up once, so a request costs two map lookups, an increment
 * and a bucket search.
 */
export function requestMetrics(app: OpsApp): (pattern: string, errorCode: string | undefined, startedAt: number) => void {
  const metrics = appMetrics(app);
  const requests = metrics.counter({
    name: 'coffer_requests_total', help: 'Requests answered, by subject pattern, outcome (ok, error) and error code', labelNames: ['subject', 'outcome', 'code'] as const,
  });
  const duration = metrics.histogram({
    name: 'coffer_request_duration_seconds', help: 'Time from a request\'s arrival to its reply, by subject pattern and outcome',
    labelNames: ['subject', 'outcome'] as const, buckets: LATENCY_BUCKETS,
  });
  const bySubject = new Map<string, Map<string, Series>>();
  const seriesOf = (pattern: string, code: string): Series => {
    let byCode = bySubject.get(pattern);
    if (!byCode) bySubject.set(pattern, (byCode = new Map()));
    let series = byCode.get(code);
    if (!series) {
      const outcome = code ? 'error' : 'ok';
      const count = requests.labels(pattern, outcome, code);
      const time = duration.labels(pattern, outcome);
      byCode.set(code, (series = { inc: () => count.inc(), observe: (s) => time.observe(s) }));
    }
    return series;
  };
  return (pattern, errorCode, startedAt) => {
    const series = seriesOf(pattern, errorCode ?? '');
    series.inc();
    series.observe((performance.now() - startedAt) / 1000);
  };
}
