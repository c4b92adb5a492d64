import { get } from 'node:http';
import { AppMetrics, appMetrics } from './app-metrics';
import { startOpsServer } from './ops-server';
import { Readiness } from './readiness';
import { requestMetrics } from './request-metrics';

const fetchText = (url: string) =>
  new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    }).on('error', reject);
  });

describe('operations endpoint', () => {
  it('serves the app\'s metrics, liveness, and readiness from its probes', async () => {
    const metrics = new AppMetrics('vault');
    metrics.counter({ name: 'coffer_test_total', help: 'test' }).inc(3);
    const readiness = new Readiness();
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, readiness });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const scraped = await fetchText(`${server.url}/metrics`);
      expect(scraped).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/plain/) });
      expect(scraped.body).toContain('coffer_test_total{app="vault"} 3');
      expect((await fetchText(`${server.url}/livez`)).status).toBe(200);
      // Nothing registered yet: not ready.
      expect(await fetchText(`${server.url}/readyz`)).toMatchObject({ status: 503 });
      const removeNats = readiness.add('nats', async () => undefined);
      expect(await fetchText(`${server.url}/readyz`)).toMatchObject({ status: 200 });
      readiness.add('database', () => Promise.reject(new Error('SQLITE_CANTOPEN')));
      const down = await fetchText(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toEqual({ ready: false, checks: { nats: 'ok', database: 'SQLITE_CANTOPEN' } });
      removeNats();
      expect(JSON.parse((await fetchText(`${server.url}/readyz`)).body).checks).toEqual({ database: 'SQLITE_CANTOPEN' });
      expect((await fetchText(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 404 on /metrics when metrics are off, and a probe that hangs counts as not ready', async () => {
    const readiness = new Readiness();
    readiness.add('hsm', () => new Promise(() => undefined));
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, readiness });
    try {
      expect((await fetchText(`${server.url}/metrics`)).status).toBe(404);
      expect(await readiness.report(50)).toEqual({ ready: false, checks: { hsm: 'no answer within 50 ms' } });
    } finally {
      await server.close();
    }
  });
});

describe('request metrics', () => {
  it('count by subject pattern, outcome and code, and time by subject and outcome', async () => {
    const observe = requestMetrics('audit');
    const started = performance.now();
    observe('coffer.internal.audit.query', undefined, started);
    observe('coffer.internal.audit.query', undefined, started);
    observe('coffer.internal.audit.query', 'BadParameter', started);
    const text = await appMetrics('audit').registry.metrics();
    expect(text).toContain('coffer_requests_total{subject="coffer.internal.audit.query",outcome="ok",code="",app="audit"} 2');
    expect(text).toContain('coffer_requests_total{subject="coffer.internal.audit.query",outcome="error",code="BadParameter",app="audit"} 1');
    expect(text).toContain('coffer_request_duration_seconds_count{subject="coffer.internal.audit.query",outcome="ok",app="audit"} 2');
    expect(text).toContain('coffer_request_duration_seconds_bucket{le="+Inf",subject="coffer.internal.audit.query",outcome="error",app="audit"} 1');
    // The same observer again (a second service of the app in this process), not a second registration.
    expect(requestMetrics('audit')).toBe(observe);
  });
});
