import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions, NatsConnection } from 'nats';
import { clientInboxPrefix, NATS_CLIENT_USER, NATS_USERS, natsClientOptions, natsMaxPayload, natsUrlWithCredentials, repoRoot } from '@coffer/config';
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

/** The Coffer apps that connect to NATS, each with its own user(s) (infra/nats/coffer.conf.template). */
export type NatsApp = 'vault' | 'crypto-worker' | 'projector' | 'audit' | 'scheduler';

/** Each app's main user, and its responder / hook-sender user where it has one. */
export const APP_NATS_USERS: Record<NatsApp, { main: string; responder?: string; hooks?: string }> = {
  vault: { main: NATS_USERS.vault, responder: NATS_USERS.vaultResponder },
  'crypto-worker': { main: NATS_USERS.cryptoWorker },
  projector: { main: NATS_USERS.projector },
  audit: { main: NATS_USERS.audit, responder: NATS_USERS.auditResponder },
  scheduler: { main: NATS_USERS.scheduler, hooks: NATS_USERS.schedulerHooks },
};

export interface SpawnedNats {
  /**
   * The URL a client uses: with `auth`, the coffer-client URL (`nats://coffer-client:<pw>@…`,
   * for CofferClient.connect / the CLI / connectTo; bare nats.js `connect({servers})` ignores
   * credentials in URLs); without, the plain address.
   */
  url: string;
  /** `nats://127.0.0.1:<port>`, no credentials. */
  address: string;
  /**
   * TEST-ONLY full access (coffer-admin: the provisioning user no app uses), for tests that must
   * inspect or tamper with streams. With `auth`; else the address.
   */
  adminUrl: string;
  /** coffer-client's URL (coffer.v1 requests only) with `auth`, else the address. */
  clientUrl: string;
  /** URLs of the `extraClients` and `hookUsers` users, by name. */
  extraClientUrls: Record<string, string>;
  /** Every user's credentials, by user name (with `auth`). */
  users: Record<string, NatsCredentials>;
  clientAuth?: NatsCredentials;
  tls?: TlsFixture;
  /** The URL of one user (with `auth`), else the address. */
  userUrl(user: string): string;
  /** Environment for one Coffer app: URL, its user(s) and passwords, CA. */
  appEnv(app: NatsApp): Record<string, string>;
  /** nats.js options for `connect()` as `user` ('admin', 'client' or a user name): credentials, inbox prefix, the fixture's CA. */
  connectOptions(user: string): ConnectionOptions;
  port: number;
  storeDir: string;
  /** The rendered configuration (with `auth` or `tls`). */
  configFile?: string;
  /** The running nats-server (a new one after restart()). */
  readonly process: ChildProcess;
  /** Everything nats-server wrote to stderr (first 200 kB): permissions violations are logged there. */
  stderr(): string;
  /** Sends `signal` (default SIGKILL, as a crash) and waits for the server to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again (after kill) on the same port, store and configuration; resolves once it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The NATS part of one app's environment: the server URL(s) and, with authentication (`passwordOf`),
 * its user(s) and password(s) as start.sh gives them.
 */
export function appNatsEnv(app: NatsApp, address: string, passwordOf?: (user: string) => string | undefined): Record<string, string> {
  const env: Record<string, string> = { COFFER_NATS_URL: address };
  if (!passwordOf) return env;
  const roles = APP_NATS_USERS[app];
  const as = (prefix: string, user: string) => ({ [`${prefix}_USER`]: user, [`${prefix}_PASSWORD`]: passwordOf(user) ?? '' });
  Object.assign(env, as('COFFER_NATS', roles.main));
  if (roles.responder) Object.assign(env, as('COFFER_NATS_RESPONDER', roles.responder));
  if (roles.hooks) Object.assign(env, as('COFFER_NATS_HOOKS', roles.hooks));
  return env;
}

/** What a Coffer stack needs of its NATS, whether one server (SpawnedNats) or a cluster (SpawnedCluster). */
export type NatsEndpoint = Pick<SpawnedNats, 'url' | 'adminUrl' | 'clientUrl' | 'userUrl' | 'appEnv' | 'connectOptions' | 'stop'>;

export interface StartNatsOptions {
  storeDir?: string;
  port?: number;
  /** Extra nats-server arguments (ignored with `auth` or `tls`, which use the rendered config). */
  args?: string[];
  /** Run with infra/nats/coffer.conf.template: one user per app, coffer-client, coffer-admin, fresh passwords. */
  auth?: boolean;
  /** Serve TLS with the fixture's server certificate (clients need its CA). */
  tls?: TlsFixture;
  /** With `tls`: require client certificates signed by the fixture's CA. */
  verifyClientCerts?: boolean;
  /** With `auth`: further client users (as infra/scripts/nats-user.sh adds them), each with its own inbox. */
  extraClients?: string[];
  /** With `auth`: rotation-hook responders (nats-user.sh add NAME --hooks VAULT), name → vault. */
  hookUsers?: Record<string, string>;
  /** max_payload (default: COFFER_NATS_MAX_PAYLOAD's default, 2 MB). */
  maxPayload?: number;
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

/** The fixed users of the template (all but the added clients and hook responders). */
export const TEMPLATE_USERS: readonly string[] = Object.values(NATS_USERS);

/** Renders infra/nats/coffer.conf.template as start.sh does (infra/scripts/lib/nats-config.sh). */
export function renderNatsConfig(p: {
  port: number; storeDir: string;
  /** Password of every template user (TEMPLATE_USERS), by name. */
  passwords: Record<string, string>;
  tls?: string;
  /** Further client users (name → password), each confined to its own inbox as start.sh renders them. */
  clients?: Record<string, string>;
  /** Hook responders: name → password and vault. */
  hooks?: Record<string, { password: string; vault: string }>;
  maxPayload?: number;
}): string {
  const template = readFileSync(join(repoRoot(), 'infra', 'nats', 'coffer.conf.template'), 'utf8');
  const clients = Object.entries(p.clients ?? {});
  const inboxes = [NATS_CLIENT_USER, ...clients.map(([user]) => user)].map((user) => `"${clientInboxPrefix(user)}.>"`).join(', ');
  const blocks = [
    ...clients.map(([user, pw]) => clientUserBlock(user, pw)),
    ...Object.entries(p.hooks ?? {}).map(([user, h]) => hookUserBlock(user, h.password, h.vault)),
  ];
  return template
    .replace(/@PORT@/g, String(p.port))
    .replace(/@STORE_DIR@/g, p.storeDir)
    .replace(/@MAX_PAYLOAD@/g, String(p.maxPayload ?? natsMaxPayload({})))
    .replace(/@PASSWORD:([a-z-]+)@/g, (_all, user: string) => {
      if (p.passwords[user] === undefined) throw new Error(`no password for NATS user ${user}`);
      return p.passwords[user];
    })
    .replace(/@CLIENT_INBOXES@/g, inboxes)
    .replace(/@TLS@/g, p.tls ?? '')
    .replace(/@CLIENT_USERS@/g, blocks.join('\n'));
}

/** One client user: requests on coffer.v1.>, replies only on its own inbox prefix. */
export function clientUserBlock(user: string, password: string): string {
  return `    { user: "${user}", password: "${password}", permissions: { publish: { allow: ["coffer.v1.>"] }, subscribe: { allow: ["${clientInboxPrefix(user)}.>"] } } }`;
}

/** One rotation-hook responder: serves coffer.hooks.<vault>.>, answers the scheduler's hook sender only. */
export function hookUserBlock(user: string, password: string, vault: string): string {
  return `    { user: "${user}", password: "${password}", permissions: { publish: { allow: ["${clientInboxPrefix(NATS_USERS.schedulerHooks)}.>"] }, subscribe: { allow: ["coffer.hooks.${vault}.>", "${clientInboxPrefix(user)}.>"] } } }`;
}

/**
 * A real nats-server with JetStream (file storage) on a free port and a temporary store directory.
 * By default without authentication; `auth: true` runs the embedded configuration (a user per app),
 * `tls` adds TLS with a throwaway CA.
 */
export async function startNatsServer(opts: StartNatsOptions = {}): Promise<SpawnedNats> {
  const port = opts.port ?? (await freePort());
  const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), 'coffer-js-'));
  const address = `nats://127.0.0.1:${port}`;
  let args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(opts.args ?? [])];
  const users: Record<string, NatsCredentials> = {};
  let configFile: string | undefined;
  const extraNames = [...(opts.extraClients ?? []), ...Object.keys(opts.hookUsers ?? {})];
  if (opts.auth || opts.tls) {
    const password = () => randomBytes(24).toString('hex');
    const passwords = Object.fromEntries(TEMPLATE_USERS.map((u) => [u, password()]));
    const clients = Object.fromEntries((opts.extraClients ?? []).map((name) => [name, password()]));
    const hooks = Object.fromEntries(Object.entries(opts.hookUsers ?? {}).map(([name, vault]) => [name, { password: password(), vault }]));
    configFile = join(mkdtempSync(join(tmpdir(), 'coffer-nats-conf-')), 'nats-server.conf');
    let conf = renderNatsConfig({
      port, storeDir, passwords, clients, hooks, maxPayload: opts.maxPayload,
      tls: opts.tls ? tlsBlock(opts.tls, opts.verifyClientCerts ?? false) : undefined,
    });
    if (opts.auth) {
      for (const [user, pass] of Object.entries({ ...passwords, ...clients })) users[user] = { user, pass };
      for (const [user, h] of Object.entries(hooks)) users[user] = { user, pass: h.password };
    } else {
      conf = conf.replace(/^authorization \{[\s\S]*?^\}\n/m, '');
    }
    writeFileSync(configFile, conf, { mode: 0o600 });
    args = ['-c', configFile];
  }
  let child!: ChildProcess;
  let stderr = '';
  const spawnServer = () => {
    child = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 200_000) stderr += d.toString();
    });
  };
  const userUrl = (user: string) => (users[user] ? natsUrlWithCredentials(address, user, users[user].pass) : address);
  const alias = (user: string) => (user === 'admin' ? NATS_USERS.admin : user === 'client' ? NATS_CLIENT_USER : user);
  const adminUrl = userUrl(NATS_USERS.admin);
  const clientUrl = userUrl(NATS_CLIENT_USER);
  const tlsOptions = (): ConnectionOptions =>
    opts.tls ? { tls: { caFile: opts.tls.caFile, ...(opts.verifyClientCerts ? { certFile: opts.tls.clientCert, keyFile: opts.tls.clientKey } : {}) } } : {};
  const connectOptions = (user: string): ConnectionOptions => ({ ...natsClientOptions(userUrl(alias(user)), {}), ...tlsOptions() });
  const untilAnswers = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const nc = await connect({ ...connectOptions('admin'), reconnect: false });
        await nc.jetstreamManager();
        await nc.close();
        return;
      } catch (err) {
        if (Date.now() > deadline || child.exitCode !== null) {
          child.kill('SIGKILL');
          throw new Error(`nats-server did not start on ${port}: ${err}\n${stderr}`, { cause: err });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  spawnServer();
  await untilAnswers(10_000);
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    }
  };
  const stop = () => kill('SIGTERM');
  const appEnv = (app: NatsApp): Record<string, string> => {
    const env = appNatsEnv(app, address, opts.auth ? (user) => users[user]?.pass : undefined);
    if (opts.tls) {
      env.COFFER_NATS_TLS_CA = opts.tls.caFile;
      if (opts.verifyClientCerts) Object.assign(env, { COFFER_NATS_TLS_CERT: opts.tls.clientCert, COFFER_NATS_TLS_KEY: opts.tls.clientKey });
    }
    return env;
  };
  return {
    extraClientUrls: Object.fromEntries(extraNames.map((name) => [name, userUrl(name)])),
    url: clientUrl, address, adminUrl, clientUrl, users, clientAuth: users[NATS_CLIENT_USER], tls: opts.tls,
    userUrl, appEnv, connectOptions, configFile,
    port, storeDir,
    get process() {
      return child;
    },
    stderr: () => stderr,
    kill,
    async restart() {
      await kill('SIGKILL');
      spawnServer();
      // A restarted server recovers its streams from the store before it answers JetStream requests.
      await untilAnswers(60_000);
    },
    async stop() {
      await stop();
      // COFFER_NATS_VIOLATIONS=1: print the permissions violations the server logged (to tune allow lists).
      if (process.env.COFFER_NATS_VIOLATIONS === '1') {
        const lines = stderr.split('\n').filter((l) => /Violation/.test(l));
         
        if (lines.length) console.warn(`nats-server permissions violations:\n${[...new Set(lines.map((l) => l.replace(/^.*?\] /, '')))].join('\n')}`);
      }
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
