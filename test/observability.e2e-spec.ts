import { CofferClient, CofferRequestError } from '@coffer/client';
import { OpsApp, opsPortVariable } from '@coffer/config';
import { appMetrics, readinessOf, RunningOpsServer, startOpsServer } from '@coffer/observability';
import { CofferApp, CofferStack, freePort, startCofferStack, until } from '@coffer/testing';
import { request } from 'node:http';
import { loadGatewaySettings } from '../apps/gateway/src/gateway-settings';
import { RunningGateway, startGateway } from '../apps/gateway/src/main';
import { adminCredentials } from './auth-helpers';

/**
 * Issue 15, items 3 and 4: every app serves Prometheus metrics and health on its own loopback port;
 * the counters and histograms move with work, and readiness follows the apps' dependencies (here
 * NATS, killed and restarted under them).
 */

interface Answer {
  status: number;
  body: string;
}

function get(url: string, host?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 10_000, ...(host && { headers: { host } }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer`)));
    req.on('error', reject);
    req.end();
  });
}

/** The sum of the samples of `name` whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

const STACK_APPS: (CofferApp & OpsApp)[] = ['vault', 'projector', 'audit', 'crypto-worker', 'scheduler'];
const VAULT = 'observed';

describe('metrics and health endpoints (real processes)', () => {
  let stack: CofferStack;
  let admin: CofferClient;
  let gateway: RunningGateway;
  let gatewayOps: RunningOpsServer;
  const ports = {} as Record<OpsApp, number>;
  const url = (app: OpsApp, path: string) => (app === 'gateway' ? `${gatewayOps.url}${path}` : `http://127.0.0.1:${ports[app]}${path}`);
  const scrape = async (app: OpsApp) => {
    const { status, body } = await get(url(app, '/metrics'));
    expect(status).toBe(200);
    return body;
  };
  const readyz = (app: OpsApp) => get(url(app, '/readyz')).then((a) => a.status, () => 0);

  beforeAll(async () => {
    for (const app of STACK_APPS) ports[app] = await freePort();
    stack = await startCofferStack({
      env: {
        ...Object.fromEntries(STACK_APPS.map((app) => [opsPortVariable(app), String(ports[app])])),
        COFFER_SCHEDULER_SCAN_INTERVAL_MS: '500',
      },
    });
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 30_000 });
    // The gateway in this process (plain HTTP), with its endpoint as its main() starts it.
    const settings = { ...loadGatewaySettings({ COFFER_HOME: stack.home, COFFER_GATEWAY_TLS: 'off' }), port: 0, natsUrl: stack.clientUrl };
    gateway = await startGateway(settings, { logLevels: ['error'] });
    gatewayOps = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: appMetrics('gateway').withProcessMetrics(), readiness: readinessOf('gateway') });
  }, 180_000);

  afterAll(async () => {
    await gatewayOps?.close();
    await gateway?.close();
    await admin?.close();
    await stack?.stop();
  });

  it('every app serves /metrics, /livez and /readyz on loopback, and its metrics move with work', async () => {
    const all: OpsApp[] = [...STACK_APPS, 'gateway'];
    for (const app of all) {
      expect((await get(url(app, '/livez'))).status).toBe(200);
      await until(`${app} ready`, async () => (await readyz(app)) === 200, 30_000, 200);
      const text = await scrape(app);
      expect(text).toContain(`app="${app}"`);
      expect(text).toMatch(/^process_cpu_seconds_total/m);
    }
    expect(JSON.parse((await get(url('crypto-worker', '/readyz'))).body).checks).toMatchObject({ nats: 'ok', hsm: 'ok' });
    expect(JSON.parse((await get(url('vault', '/readyz'))).body).checks).toMatchObject({ nats: 'ok', 'nats-events': 'ok', database: 'ok' });
    expect((await get(url('vault', '/nothing'))).status).toBe(404);

    const before = Object.fromEntries(await Promise.all(all.map(async (app) => [app, await scrape(app)] as const))) as Record<OpsApp, string>;
    const getPattern = 'coffer.v1.vault.*.secret.get';

    await admin.vaults.create(VAULT);
    const secrets = admin.secrets(VAULT);
    await secrets.set('db-password', 'v1');
    for (let i = 0; i < 5; i++) await secrets.get('db-password');
    await expect(secrets.get('missing')).rejects.toBeInstanceOf(CofferRequestError);
    const { clientId, clientSecret } = adminCredentials(stack.home);
    // Well formed, one character off: refused by the exchange, not by validation.
    const wrong = `${clientSecret.slice(0, -1)}${clientSecret.endsWith('A') ? 'B' : 'A'}`;
    const intruder = await CofferClient.connect({ url: stack.clientUrl, credentials: { clientId, clientSecret: wrong }, timeoutMs: 30_000 });
    await expect(intruder.secrets(VAULT).get('db-password')).rejects.toBeInstanceOf(CofferRequestError);
    await intruder.close();
    const challenge = await get(`http://127.0.0.1:${gateway.port}/secrets/db-password?api-version=7.4`, `${VAULT}.vault.localhost:${gateway.port}`);
    expect(challenge.status).toBe(401);

    const moved = async (app: OpsApp, name: string, labels: Record<string, string> = {}, atLeast = 1) => {
      await until(`${app}: ${name} ${JSON.stringify(labels)} moved by ${atLeast}`, async () =>
        sample(await scrape(app), name, labels) - sample(before[app], name, labels) >= atLeast, 20_000, 200);
    };
    // vault: requests by subject pattern, outcome and code; latency; tokens; failed sign-ins; audit groups.
    await moved('vault', 'coffer_requests_total', { subject: getPattern, outcome: 'ok', code: '' }, 5);
    await moved('vault', 'coffer_requests_total', { subject: getPattern, outcome: 'error', code: 'SecretNotFound' });
    await moved('vault', 'coffer_request_duration_seconds_count', { subject: getPattern, outcome: 'ok' }, 5);
    await moved('vault', 'coffer_tokens_issued_total');
    await moved('vault', 'coffer_credential_failures_total', { kind: 'secret' });
    await moved('vault', 'coffer_audit_group_records_count');
    const vaultText = await scrape('vault');
    expect(vaultText).not.toContain(VAULT); // patterns, never vault or object names
    expect(vaultText).not.toContain('db-password');
    // the others
    await moved('crypto-worker', 'coffer_hsm_call_duration_seconds_count', { operation: 'datakey.generate', mechanism: 'A256KW', outcome: 'ok' });
    await moved('crypto-worker', 'coffer_requests_total', { subject: 'coffer.internal.crypto.datakey.generate', outcome: 'ok' });
    expect(sample(await scrape('crypto-worker'), 'coffer_hsm_sessions')).toBeGreaterThan(0);
    await moved('projector', 'coffer_projector_applied_events_total', {}, 2);
    await until('projector lag 0', async () => sample(await scrape('projector'), 'coffer_projector_lag_events') === 0, 20_000, 200);
    await moved('audit', 'coffer_audit_chained_records_total', {}, 8);
    expect(await scrape('audit')).toMatch(/^coffer_audit_lag_records\{app="audit"\} \d+$/m);
    await moved('scheduler', 'coffer_scheduler_scans_total', {}, 2);
    expect(sample(await scrape('scheduler'), 'coffer_scheduler_leader')).toBe(1);
    await moved('gateway', 'coffer_gateway_requests_total', { status: '401' });
    await moved('gateway', 'coffer_gateway_request_duration_seconds_count');
    expect(await scrape('gateway')).not.toContain('db-password');
  }, 120_000);

  it('coffer status shows the scheduler', async () => {
    const status = await admin.status();
    expect(status.scheduler).toMatchObject({ ok: true, leader: true });
  });

  it('readiness goes false while NATS is down and comes back with it; liveness stays', async () => {
    const all: OpsApp[] = [...STACK_APPS, 'gateway'];
    await stack.nats.kill();
    for (const app of all) {
      await until(`${app} not ready without NATS`, async () => (await readyz(app)) === 503, 30_000, 200);
      expect((await get(url(app, '/livez'))).status).toBe(200);
    }
    expect(JSON.parse((await get(url('vault', '/readyz'))).body)).toMatchObject({ ready: false, checks: { database: 'ok' } });
    await stack.nats.restart();
    for (const app of all) await until(`${app} ready again`, async () => (await readyz(app)) === 200, 60_000, 250);
  }, 180_000);
});
