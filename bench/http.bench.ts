import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CofferStack, startCofferStack, until } from '@coffer/testing';
import { BenchOptions } from './bench-options';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';
import { Check, check, formatChecks, formatResults, progress } from './report';

/** Secret get over HTTPS through the gateway against a bare Node HTTPS server answering a fixed body (same run, same TLS). */
export const HTTP_TARGETS = { getVsCeiling: 0.35, getP99Ms: 30 } as const;

const VAULT = 'bench';
const SECRET = 'bench-read';
const DOMAIN = 'vault.localhost';
const IN_FLIGHT = 64;
const root = join(__dirname, '..', '..');

/** `bench http`: a stack, the gateway as its own process (TLS from Coffer's CA), the ceiling server, then the loads. */
export async function runHttpBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack (nats-server and every Coffer app) and the gateway');
  const stack = await startCofferStack();
  const children: ChildProcess[] = [];
  try {
    const gatewayPort = await spawnGateway(stack, children);
    const ca = readFileSync(join(stack.home, 'gateway-ca.pem'), 'utf8');
    const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
    const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench', credentials: admin });
    let token: string;
    let value: string;
    try {
      await client.vaults.create(VAULT);
      value = randomBytes(48).toString('base64');
      await client.secrets(VAULT).set(SECRET, value);
      token = (await client.accessToken())!.token;
    } finally {
      await client.close();
    }
    const body = JSON.stringify({ value, id: `https://${VAULT}.${DOMAIN}:${gatewayPort}/secrets/${SECRET}/${'0'.repeat(32)}`, attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 }, tags: {} });
    const ceilingPort = await spawnCeilingServer(stack.home, body, children);

    const at: LoadOptions = { concurrency: IN_FLIGHT, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds };
    const agent = new Agent({ ca, keepAlive: true, maxSockets: IN_FLIGHT, lookup: ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) => (o?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as never });
    const get = (port: number, withToken: boolean) => httpsGet(agent, port, `${VAULT}.${DOMAIN}`, `/secrets/${SECRET}?api-version=7.5`, withToken ? token : undefined);
    let results: LoadResult[];
    try {
      progress(`bare Node HTTPS server, fixed body, ${IN_FLIGHT} in flight (the ceiling)`);
      const ceiling = await runClosedLoop('https fixed body (ceiling)', () => get(ceilingPort, false), at);
      progress(`secret get through the gateway, ${IN_FLIGHT} in flight`);
      const gateway = await runClosedLoop('secret get via gateway', () => get(gatewayPort, true), at);
      progress(`secret get over NATS (the SDK), ${IN_FLIGHT} in flight, for the hop's cost`);
      const nats = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench', credentials: { token } });
      try {
        const viaNats = await runClosedLoop('secret get via NATS', () => nats.secrets(VAULT).get(SECRET), at);
        results = [ceiling, gateway, viaNats];
      } finally {
        await nats.close();
      }
    } finally {
      agent.destroy();
    }
    const [ceiling, gateway, viaNats] = results;
    const checks: Check[] = [
      check('gateway get / https ceiling', gateway.opsPerSec / ceiling.opsPerSec, '>=', HTTP_TARGETS.getVsCeiling),
      check('gateway get p99', gateway.p99Ms, '<=', HTTP_TARGETS.getP99Ms, 'ms'),
    ];
    const passed = checks.every((c) => c.pass);
    const hop = { opsRatioVsNats: gateway.opsPerSec / viaNats.opsPerSec, p50ExtraMs: gateway.p50Ms - viaNats.p50Ms };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ benchmark: 'http', options: opts, results, hop, checks, passed }, null, 2)}\n`);
    } else {
      process.stdout.write([
        '',
        `coffer bench http (${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; gateway and ceiling server as their own processes)`,
        formatResults(results),
        '',
        'targets (authentication, RBAC and audit on)',
        formatChecks(checks),
        '',
        `the HTTP hop: ${(hop.opsRatioVsNats * 100).toFixed(0)} % of the NATS path's ops/s, p50 +${hop.p50ExtraMs.toFixed(2)} ms`,
        `http bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'));
    }
    return passed;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await stack.stop();
  }
}

/** The gateway from dist, as `npm start` runs it: it issues its own certificate from Coffer's CA on first start. */
async function spawnGateway(stack: CofferStack, children: ChildProcess[]): Promise<number> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(root, 'dist/apps/gateway/src/main.js')], {
    env: { ...process.env, COFFER_HOME: stack.home, COFFER_GATEWAY_NATS_URL: stack.natsUrl, COFFER_GATEWAY_PORT: String(port), COFFER_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await until('the gateway answers', async () => {
    if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode})`);
    const ca = join(stack.home, 'gateway-ca.pem');
    try {
      const agent = new Agent({ ca: readFileSync(ca) });
      const status = await httpsGet(agent, port, DOMAIN, '/coffer/v2.0/.well-known/openid-configuration').finally(() => agent.destroy());
      return status === 200;
    } catch {
      return false;
    }
  }, 60_000, 200);
  return port;
}

/** A bare Node HTTPS server with the gateway's certificate answering one fixed JSON body: the ceiling. */
async function spawnCeilingServer(home: string, body: string, children: ChildProcess[]): Promise<number> {
  const script = `
    const https = require('node:https'); const fs = require('node:fs');
    const body = Buffer.from(process.env.BODY);
    const s = https.createServer({ key: fs.readFileSync(process.env.KEY), cert: fs.readFileSync(process.env.CERT) }, (q, r) => {
      r.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); r.end(body);
    });
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, BODY: body, KEY: join(home, 'gateway', 'tls.key'), CERT: join(home, 'gateway', 'tls.crt') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the ceiling server exited (${code})`)));
  });
}

/** One GET; resolves with the status once the body is read, rejects on anything but 200 when a token is sent. */
function httpsGet(agent: Agent, port: number, host: string, path: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, servername: host, path, agent, headers: { host: `${host}:${port}`, ...(token && { authorization: `Bearer ${token}` }) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 || !token ? resolve(res.statusCode ?? 0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
