import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions, JSONCodec, NatsConnection } from 'nats';
import { CofferConfig, loadConfig, NATS_USERS, OPS_APPS, opsPortVariable, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, PRIVATE_UMASK, repoRoot } from '@coffer/config';
import { auditStreamConfigs } from '@coffer/audit';
import { cofferStreamConfigs, provisionStreams } from '@coffer/event-store';
import { InternalSubjects, SchedulerSubjects, Subjects } from '@coffer/contracts';
import { NatsEndpoint, SpawnedNats, startNatsServer } from './nats-server';
import { createThrowawayToken, ThrowawayToken } from './softhsm-token';
import { TlsFixture } from './tls-fixture';

/** The apps of a Coffer, in start order. */
export const COFFER_APPS = ['crypto-worker', 'projector', 'audit', 'vault', 'scheduler'] as const;
export type CofferApp = (typeof COFFER_APPS)[number];

export interface CofferStackOptions {
  /** Read model URL; a SQLite file in the stack's home when absent. */
  dbUrl?: string;
  /** Extra environment for every app (wins over the stack's own). */
  env?: Record<string, string>;
  /** How long each app may take to answer its status subject (default 30 s). */
  readyTimeoutMs?: number;
  /** Serve NATS over TLS with this throwaway CA (the apps get COFFER_NATS_TLS_CA). */
  tls?: TlsFixture;
  /** Further NATS client users (nats.extraClientUrls), as `npm run nats-user -- add` makes them. */
  extraClients?: string[];
  /**
   * Run on this NATS (e.g. `startNatsCluster(3, { auth: true })`) instead of a server of its own; the
   * caller stops it. `nats` then has only NatsEndpoint's members, and pids() has no nats-server.
   */
  nats?: NatsEndpoint;
  /** How many processes of an app to run (default 1 each; the projector and audit app are singletons by design). */
  replicas?: Partial<Record<'vault' | 'crypto-worker' | 'scheduler', number>>;
  /** Extra environment for one app (wins over `env`), e.g. a fault-injection preload for the projector. */
  appEnv?: Partial<Record<CofferApp, Record<string, string>>>;
}

export interface CofferStack {
  /** Temporary COFFER_HOME: logs, the read model and the NATS store live here. */
  home: string;
  /**
   * The client URL (`nats://coffer-client:<pw>@127.0.0.1:<port>`, as $COFFER_HOME/nats.url of the
   * embedded mode): for CofferClient.connect, the CLI's --nats-url and connectTo. NATS
   * authentication is on: each app connects as its own user (infra/nats/coffer.conf.template).
   */
  natsUrl: string;
  clientUrl: string;
  /** TEST-ONLY full access (coffer-admin, which no app uses), for assertions that inspect or tamper with streams. */
  adminUrl: string;
  nats: SpawnedNats;
  /** The nats-server's store directory (JetStream files are under `<storeDir>/jetstream`). */
  storeDir: string;
  dbUrl: string;
  token: ThrowawayToken;
  /** Pids of what is running now (an app that was killed and not restarted is absent; replicas past the first as `vault#2`, …). */
  pids(): Partial<Record<CofferApp | 'nats-server', number>> & Record<string, number>;
  /** Sends `signal` to one app (replica 1 unless given) and waits for it to exit. */
  kill(app: CofferApp, signal?: NodeJS.Signals, replica?: number): Promise<void>;
  /** Starts an app (replica 1 unless given) that is not running and waits until it answers. */
  start(app: CofferApp, replica?: number): Promise<void>;
  /** Everything the app (replica 1 unless given) has written to stdout/stderr so far (all its runs). */
  logs(app: CofferApp, replica?: number): string;
  /** Resident memory of nats-server and the apps (with any children), in bytes. */
  rss(): number;
  /** Stops the apps and nats-server and removes the home and the token (kept if COFFER_KEEP_STACK=1). */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

/**
 * A whole Coffer as real processes, for end-to-end tests and benchmarks: nats-server, a throwaway
 * SoftHSM token, and the built apps (`dist/`), each started once the previous one answers.
 */
export async function startCofferStack(opts: CofferStackOptions = {}): Promise<CofferStack> {
  const root = repoRoot();
  for (const app of COFFER_APPS) {
    if (!existsSync(entryOf(root, app))) throw new Error(`${entryOf(root, app)} is missing: run npm run build first`);
  }
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const home = mkdtempSync(join(tmpdir(), 'coffer-stack-'));
  const logDir = join(home, 'logs');
  // As start.sh makes them (umask 077 from infra/scripts/lib/common.sh).
  mkdirSync(logDir, { mode: PRIVATE_DIR_MODE });
  const storeDir = join(home, 'nats');

  let nats: SpawnedNats | undefined;
  let token: ThrowawayToken | undefined;
  const children = new Map<string, ChildProcess>();
  const instance = (app: CofferApp, replica = 1) => (replica === 1 ? app : `${app}#${replica}`);
  const countOf = (app: CofferApp) => (opts.replicas as Partial<Record<CofferApp, number>> | undefined)?.[app] ?? 1;

  const stopAll = async () => {
    for (const name of [...children.keys()].reverse()) await stopChild(children.get(name), STOP_GRACE_MS);
    children.clear();
    if (!opts.nats) await nats?.stop();
    if (process.env.COFFER_KEEP_STACK === '1') {
       
      console.warn(`coffer stack kept: home ${home}, token ${token?.dir}`);
      return;
    }
    token?.remove();
    rmSync(home, { recursive: true, force: true });
  };

  try {
    // The embedded server's configuration (infra/nats): authentication on, a user per app, and the
    // provisioning step start.sh runs (streams with their protection) before any app starts.
    // start.sh runs nats-server under umask 077 (common.sh): its store is private like the rest.
    // A given endpoint (a cluster) has only NatsEndpoint's members: tests that pass one use only those.
    nats = (opts.nats as SpawnedNats | undefined)
      ?? await withUmask(PRIVATE_UMASK, () => startNatsServer({ storeDir, auth: true, tls: opts.tls, extraClients: opts.extraClients }));
    await provisionCofferStreams(nats, loadConfig({ ...opts.env }));
    token = createThrowawayToken();
    const dbUrl = opts.dbUrl ?? `sqlite:${join(home, 'readmodel.sqlite')}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...token.env,
      COFFER_HOME: home,
      COFFER_DB_URL: dbUrl,
      COFFER_LOG_LEVEL: 'warn',
      // No operations endpoints unless a test asks (parallel stacks would compete for the default ports).
      ...Object.fromEntries(OPS_APPS.map((app) => [opsPortVariable(app), '0'])),
      ...opts.env,
    };
    const natsUrl = nats.clientUrl;
    // Readiness as the callers of each status subject: the vault's user asks the internal services, a client asks the vault.
    const probeOptions = (app: CofferApp) => nats!.connectOptions(app === 'vault' ? 'client' : NATS_USERS.vault);
    const logFile = (name: string) => join(logDir, `${name.replace('#', '-')}.log`);

    // Readiness is asked on the app's status subject, which any replica may answer: a later replica
    // is known to be ready only in that it started and did not exit.
    const start = async (app: CofferApp, replica = 1) => {
      const name = instance(app, replica);
      const running = children.get(name);
      if (running && isRunning(running)) throw new Error(`${name} is already running`);
      const out = openSync(logFile(name), 'a', PRIVATE_FILE_MODE);
      const child = spawn(process.execPath, [entryOf(root, app)], {
        cwd: root, env: { ...env, ...nats!.appEnv(app), ...opts.env, ...opts.appEnv?.[app] }, stdio: ['ignore', out, out],
      });
      closeSync(out);
      children.set(name, child);
      await waitUntilReady(app, probeOptions(app), child, logFile(name), readyTimeoutMs);
    };

    for (const app of COFFER_APPS) for (let r = 1; r <= countOf(app); r++) await start(app, r);

    const pids = () => {
      const result: Record<string, number> = {};
      if (nats?.process?.pid && nats.process.exitCode === null) result['nats-server'] = nats.process.pid;
      for (const [name, child] of children) if (child.pid && isRunning(child)) result[name] = child.pid;
      return result;
    };

    return {
      home, natsUrl, clientUrl: nats.clientUrl, adminUrl: nats.adminUrl, nats, storeDir, dbUrl, token,
      pids,
      start,
      async kill(app, signal = 'SIGTERM', replica = 1) {
        const child = children.get(instance(app, replica));
        if (!child || !isRunning(child)) throw new Error(`${instance(app, replica)} is not running`);
        const exited = exitOf(child);
        child.kill(signal);
        await exited;
      },
      logs: (app, replica = 1) => (existsSync(logFile(instance(app, replica))) ? readFileSync(logFile(instance(app, replica)), 'utf8') : ''),
      rss: () => rssOfProcessTree(Object.values(pids())),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

/** start.sh's provisioning step: as coffer-admin, create Coffer's streams with their protection and audit limits, or bring existing ones to them. */
export async function provisionCofferStreams(nats: NatsEndpoint, config: Pick<CofferConfig, 'dedupeWindowMs' | 'streamReplicas' | 'audit'>): Promise<void> {
  const nc = await connect(nats.connectOptions('admin'));
  try {
    await provisionStreams(await nc.jetstreamManager(), [...cofferStreamConfigs(config.dedupeWindowMs), ...auditStreamConfigs(config.audit)], config.streamReplicas);
  } finally {
    await nc.close();
  }
}

/** Runs `fn` with the process umask set to `mask` until it settles (children spawned meanwhile inherit it). */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const before = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(before);
  }
}

function entryOf(root: string, app: CofferApp): string {
  return join(root, 'dist', 'apps', app, 'src', 'main.js');
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exitOf(child: ChildProcess): Promise<void> {
  return isRunning(child) ? new Promise((resolveExit) => child.once('exit', () => resolveExit())) : Promise.resolve();
}

async function stopChild(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child || !isRunning(child)) return;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const jc = JSONCodec<Record<string, unknown>>();

/** Why an app is not ready yet, or undefined once its status subject says ok. */
async function notReadyReason(nc: NatsConnection, app: CofferApp): Promise<string | undefined> {
  const subject = { 'crypto-worker': InternalSubjects.crypto('status'), projector: InternalSubjects.projectorStatus, audit: InternalSubjects.audit('status'), vault: Subjects.status, scheduler: SchedulerSubjects.status }[app];
  const reply = jc.decode((await nc.request(subject, jc.encode({}), { timeout: 2000 })).data);
  // The vault's status must say ok for every part; an internal status is ready when it reports no error.
  const ready =
    app === 'vault'
      ? ['vault', 'cryptoWorker', 'projector'].every((part) => (reply[part] as { ok?: boolean } | undefined)?.ok === true)
      : reply.error === undefined && reply.ok !== false;
  return ready ? undefined : `${subject} replied ${JSON.stringify(reply)}`;
}

async function waitUntilReady(app: CofferApp, natsOptions: ConnectionOptions, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const nc = await connect({ ...natsOptions, noAsyncTraces: true });
  const failure = (why: string) => new Error(`${app} ${why}; last lines of ${logFile}:\n${tail(logFile, 30)}`);
  try {
    const deadline = Date.now() + timeoutMs;
    let reason = 'did not answer';
    for (;;) {
      if (!isRunning(child)) throw failure(`exited during start-up (code ${child.exitCode}, signal ${child.signalCode})`);
      try {
        const notReady = await notReadyReason(nc, app);
        if (notReady === undefined) return;
        reason = notReady;
      } catch (err) {
        reason = (err as Error).message;
      }
      if (Date.now() > deadline) throw failure(`was not ready after ${timeoutMs} ms (${reason})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await nc.close();
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Resident memory (VmRSS) of the given processes and all their descendants, in bytes. */
export function rssOfProcessTree(rootPids: number[]): number {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command (which may contain spaces) start after the last ')': state, ppid, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const siblings = childrenOf.get(ppid) ?? [];
      siblings.push(Number(entry));
      childrenOf.set(ppid, siblings);
    } catch {
      // exited while we looked
    }
  }
  let total = 0;
  const seen = new Set<number>();
  const pending = [...rootPids];
  while (pending.length) {
    const pid = pending.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += vmRssBytes(pid);
    pending.push(...(childrenOf.get(pid) ?? []));
  }
  return total;
}

function vmRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface RssSampler {
  /** Highest total seen so far, in bytes. */
  peak(): number;
  /** The latest sample, in bytes. */
  last(): number;
  stop(): void;
}

/** Samples `measure()` (for example `stack.rss`) every `intervalMs` and keeps the peak. */
export function sampleRss(measure: () => number, intervalMs = 100): RssSampler {
  let last = measure();
  let peak = last;
  const timer = setInterval(() => {
    last = measure();
    if (last > peak) peak = last;
  }, intervalMs);
  timer.unref();
  return { peak: () => peak, last: () => last, stop: () => clearInterval(timer) };
}
