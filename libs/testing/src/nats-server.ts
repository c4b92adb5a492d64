import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions, NatsConnection } from 'nats';
import { clientInboxPrefix, NATS_CLIENT_USER, NATS_INTERNAL_USER, natsClientOptions, natsUrlWithCredentials, repoRoot } from '@coffer/config';
import { TlsFixture } from './tls-fixture';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export interface NatsCredentials {
  user: string;
  pass: string;
}

export interface SpawnedNats {
  /**
   * The URL a client uses: with `auth`, the coffer-client URL (`nats://coffer-client:<pw>@…`,
   * for CofferClient.connect / the CLI / connectTo; bare nats.js `connect({servers})` ignores
   * credentials in URLs); without, the plain address.
   */
  url: string;
  /** `nats://127.0.0.1:<port>`, no credentials. */
  address: string;
  /** coffer-internal's URL (full access) with `auth`, else the address. */
  internalUrl: string;
  /** coffer-client's URL (coffer.v1 requests only) with `auth`, else the address. */
  clientUrl: string;
  /** URLs of the `extraClients` users, by name. */
  extraClientUrls: Record<string, string>;
  internalAuth?: NatsCredentials;
  clientAuth?: NatsCredentials;
  tls?: TlsFixture;
  /** Environment for a Coffer app connecting as coffer-internal (URL, user, password, CA). */
  internalEnv: Record<string, string>;
  /** nats.js options for `connect()` as `role` (credentials and the fixture's CA). */
  connectOptions(role: 'internal' | 'client'): ConnectionOptions;
  port: number;
  storeDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartNatsOptions {
  storeDir?: string;
  port?: number;
  /** Extra nats-server arguments (ignored with `auth` or `tls`, which use the rendered config). */
  args?: string[];
  /** Run with infra/nats/coffer.conf.template: users coffer-internal and coffer-client, fresh passwords. */
  auth?: boolean;
  /** Serve TLS with the fixture's server certificate (clients need its CA). */
  tls?: TlsFixture;
  /** With `tls`: require client certificates signed by the fixture's CA. */
  verifyClientCerts?: boolean;
  /** With `auth`: further client users (as infra/scripts/nats-user.sh adds them), each with its own inbox. */
  extraClients?: string[];
}

function tlsBlock(tls: TlsFixture, verify: boolean): string {
  return [
    'tls {',
    `  cert_file: "${tls.serverCert}"`,
    `  key_file: "${tls.serverKey}"`,
    `  ca_file: "${tls.caFile}"`,
    `  verify: ${verify}`,
    '  timeout: 5',
    '}',
  ].join('\n');
}

/** Renders infra/nats/coffer.conf.template as start.sh does. */
export function renderNatsConfig(p: {
  port: number; storeDir: string; internalPassword: string; clientPassword: string; tls?: string;
  /** Further client users (name → password), each confined to its own inbox as start.sh renders them. */
  clients?: Record<string, string>;
}): string {
  const template = readFileSync(join(repoRoot(), 'infra', 'nats', 'coffer.conf.template'), 'utf8');
  return template
    .replace(/@PORT@/g, String(p.port))
    .replace(/@STORE_DIR@/g, p.storeDir)
    .replace(/@INTERNAL_PASSWORD@/g, p.internalPassword)
    .replace(/@CLIENT_PASSWORD@/g, p.clientPassword)
    .replace(/@TLS@/g, p.tls ?? '')
    .replace(/@CLIENT_USERS@/g, Object.entries(p.clients ?? {}).map(([user, pw]) => clientUserBlock(user, pw)).join('\n'));
}

/** One client user: requests on coffer.v1.>, replies only on its own inbox prefix. */
export function clientUserBlock(user: string, password: string): string {
  return `    { user: "${user}", password: "${password}", permissions: { publish: { allow: ["coffer.v1.>"] }, subscribe: { allow: ["${clientInboxPrefix(user)}.>"] } } }`;
}

/**
 * A real nats-server with JetStream (file storage) on a free port and a temporary store directory.
 * By default without authentication; `auth: true` runs the embedded configuration (two users),
 * `tls` adds TLS with a throwaway CA.
 */
export async function startNatsServer(opts: StartNatsOptions = {}): Promise<SpawnedNats> {
  const port = opts.port ?? (await freePort());
  const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), 'coffer-js-'));
  const address = `nats://127.0.0.1:${port}`;
  let args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(opts.args ?? [])];
  let internalAuth: NatsCredentials | undefined;
  let clientAuth: NatsCredentials | undefined;
  let configFile: string | undefined;
  let extraPasswords: Record<string, string> = {};
  if (opts.auth || opts.tls) {
    const internalPassword = randomBytes(24).toString('hex');
    const clientPassword = randomBytes(24).toString('hex');
    configFile = join(mkdtempSync(join(tmpdir(), 'coffer-nats-conf-')), 'nats-server.conf');
    extraPasswords = Object.fromEntries((opts.extraClients ?? []).map((name) => [name, randomBytes(24).toString('hex')]));
    let conf = renderNatsConfig({
      port, storeDir, internalPassword, clientPassword, clients: extraPasswords,
      tls: opts.tls ? tlsBlock(opts.tls, opts.verifyClientCerts ?? false) : undefined,
    });
    if (opts.auth) {
      internalAuth = { user: NATS_INTERNAL_USER, pass: internalPassword };
      clientAuth = { user: NATS_CLIENT_USER, pass: clientPassword };
    } else {
      conf = conf.replace(/^authorization \{[\s\S]*?^\}\n/m, '');
    }
    writeFileSync(configFile, conf, { mode: 0o600 });
    args = ['-c', configFile];
  }
  const child = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const internalUrl = internalAuth ? natsUrlWithCredentials(address, internalAuth.user, internalAuth.pass) : address;
  const clientUrl = clientAuth ? natsUrlWithCredentials(address, clientAuth.user, clientAuth.pass) : address;
  const tlsOptions = (): ConnectionOptions =>
    opts.tls ? { tls: { caFile: opts.tls.caFile, ...(opts.verifyClientCerts ? { certFile: opts.tls.clientCert, keyFile: opts.tls.clientKey } : {}) } } : {};
  const connectOptions = (role: 'internal' | 'client'): ConnectionOptions => ({
    ...natsClientOptions(role === 'internal' ? internalUrl : clientUrl, {}),
    ...tlsOptions(),
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const nc = await connect({ ...connectOptions('internal'), reconnect: false });
      await nc.jetstreamManager();
      await nc.close();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`nats-server did not start on ${port}: ${err}\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
  const internalEnv: Record<string, string> = { COFFER_NATS_URL: address };
  if (internalAuth) Object.assign(internalEnv, { COFFER_NATS_USER: internalAuth.user, COFFER_NATS_PASSWORD: internalAuth.pass });
  if (opts.tls) {
    internalEnv.COFFER_NATS_TLS_CA = opts.tls.caFile;
    if (opts.verifyClientCerts) Object.assign(internalEnv, { COFFER_NATS_TLS_CERT: opts.tls.clientCert, COFFER_NATS_TLS_KEY: opts.tls.clientKey });
  }
  return {
    extraClientUrls: Object.fromEntries(Object.entries(extraPasswords).map(([name, pw]) => [name, natsUrlWithCredentials(address, name, pw)])),
    url: clientUrl, address, internalUrl, clientUrl, internalAuth, clientAuth, tls: opts.tls, internalEnv, connectOptions,
    port, storeDir, process: child,
    async stop() {
      await stop();
      if (!opts.storeDir) rmSync(storeDir, { recursive: true, force: true });
      if (configFile && existsSync(configFile)) rmSync(join(configFile, '..'), { recursive: true, force: true });
    },
  };
}

/** Connects to `url`, credentials in the URL included (nats.js ignores them in `servers`). */
export async function connectTo(url: string, extra: ConnectionOptions = {}): Promise<NatsConnection> {
  return connect({ ...natsClientOptions(url, {}), ...extra });
}

/** Waits until `subject` answers: listen() resolves once subscriptions are sent, not once the server has them. */
export async function untilAnswering(nc: NatsConnection, subject: string, attempts = 100): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await nc.request(subject, '{}', { timeout: 1000 });
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
