import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { ConnectionOptions } from 'nats';

/**
 * One validated configuration for every Coffer process, from the environment. Every setting has a
 * default for the embedded mode (everything under COFFER_HOME, `.coffer/` in the checkout).
 */
export interface CofferConfig {
  home: string;
  /** Server URL(s), comma-separated; may carry `user:password@` (the embedded nats.url does). */
  natsUrl: string;
  /** How this process authenticates to NATS and verifies it (see natsConnectOptions). */
  nats: NatsSettings;
  /**
   * The NATS user of this process's responder connection (the NestJS server answering requests),
   * whose permissions allow publishing to callers' inboxes only (COFFER_NATS_RESPONDER_USER /
   * _PASSWORD(_FILE)). Absent: the responder connects as `nats`.
   */
  natsResponder?: NatsSettings;
  /** The scheduler's rotation-hook connection (COFFER_NATS_HOOKS_USER / _PASSWORD(_FILE)): may publish only to coffer.hooks.>. Absent: `nats`. */
  natsHooks?: NatsSettings;
  dbUrl: string;
  pkcs11: { module: string; token: string; pinFile: string; sessions: number };
  secretValueMaxBytes: number;
  /** How long the vault keeps an unwrapped data key in memory (0 = never cache). */
  dekCacheTtlMs: number;
  dekCacheMaxEntries: number;
  /** How long a write waits for the read model to show it before replying. */
  projectionWaitMs: number;
  cryptoTimeoutMs: number;
  logLevel: string;
  /** Copies of each JetStream stream (1 on a single server; 3 in a cluster, for durability). */
  streamReplicas: number;
  /**
   * JetStream's Nats-Msg-Id dedupe window on COFFER_EVENTS, set when the stream is created: a
   * first line against a retried write. The guarantee does not depend on it (requestIdHorizonMs).
   */
  dedupeWindowMs: number;
  /**
   * How long a request id is remembered: a retry with the same (principal, request id) within it
   * replays the original outcome and never applies twice. applied_requests rows older than this
   * (by event time) are pruned by the projector.
   */
  requestIdHorizonMs: number;
  auth: {
    /** Access token lifetime. */
    tokenTtlSeconds: number;
    /** How long a vault replica caches a principal's state and role assignments: the revocation delay on other replicas. */
    principalCacheMs: number;
  };
  audit: {
    /**
     * The audit chain's database. SQLite allows one writer per file, so by default the chain gets
     * its own file next to the read model rather than competing with the projector for its lock.
     */
    dbUrl: string;
    /** Sign a checkpoint after this many new records… */
    checkpointEvery: number;
    /** …or after this long, when anything new was chained. */
    checkpointIntervalMs: number;
    /** How long verify waits for the chain to reach the end of the stream. */
    verifyCatchUpMs: number;
    /**
     * Limits (fail closed): COFFER_AUDIT and COFFER_AUDIT_CHECKPOINTS are created (and updated on
     * start) with these max_bytes / max_msgs and discard 'new', so nothing old is ever dropped; the
     * chain database stops growing at dbMaxBytes. At a limit, requests fail with
     * ServiceUnavailable/AuditStoreFull; `coffer status` warns from nearFullPercent on.
     */
    streamMaxBytes: number;
    streamMaxMessages: number;
    checkpointsMaxBytes: number;
    dbMaxBytes: number;
    nearFullPercent: number;
    /** Anonymous noise folding (the vault's audit sink): see AuditAggregation. */
    aggregation: AuditAggregationSettings;
  };
  /** Abuse resistance: request throttling and credential lockout, per vault replica (README "Throttling and lockout"). */
  throttle: ThrottleSettings;
  /** COFFER_DEV_MODE=1: development-only features (the `coffer dev time-shift` clock). Never in production. */
  devMode: boolean;
  /** The lifecycle scheduler (apps/scheduler). */
  scheduler: SchedulerSettings;
  /** Limits every request body must respect, checked on the raw bytes before parsing. */
  request: RequestSettings;
  /** Each app's operations endpoint: /metrics, /livez, /readyz (README "Metrics and health"). */
  ops: OpsSettings;
}

/** The processes with an operations endpoint, each on its own port. */
export const OPS_APPS = ['vault', 'projector', 'audit', 'crypto-worker', 'scheduler', 'gateway'] as const;
export type OpsApp = (typeof OPS_APPS)[number];

/**
 * COFFER_OPS_HOST (default 127.0.0.1: off the public surface), COFFER_OPS_PORT_<APP> (VAULT 9464,
 * PROJECTOR 9465, AUDIT 9466, CRYPTO_WORKER 9467, SCHEDULER 9468, GATEWAY 9469; 0 = no endpoint),
 * COFFER_METRICS (default 1; 0 keeps /livez and /readyz but records and serves no metrics).
 */
export interface OpsSettings {
  host: string;
  metrics: boolean;
  ports: Record<OpsApp, number>;
}

export const DEFAULT_OPS_PORTS: Record<OpsApp, number> = {
  vault: 9464, projector: 9465, audit: 9466, 'crypto-worker': 9467, scheduler: 9468, gateway: 9469,
};

export const opsPortVariable = (app: OpsApp) => `COFFER_OPS_PORT_${app.replace('-', '_').toUpperCase()}`;

function opsSettings(env: NodeJS.ProcessEnv): OpsSettings {
  const metrics = (env.COFFER_METRICS ?? '1').trim();
  if (!/^(0|1|true|false|on|off)$/i.test(metrics)) throw new ConfigError(`COFFER_METRICS must be 1 or 0 (got '${metrics}')`);
  return {
    host: env.COFFER_OPS_HOST?.trim() || '127.0.0.1',
    metrics: /^(1|true|on)$/i.test(metrics),
    ports: Object.fromEntries(OPS_APPS.map((app) => [app, int(env, opsPortVariable(app), DEFAULT_OPS_PORTS[app], 0, 65535)])) as Record<OpsApp, number>,
  };
}

/**
 * COFFER_MAX_REQUEST_BYTES (default 1 MiB), COFFER_MAX_REQUEST_DEPTH (32), COFFER_MAX_REQUEST_KEYS
 * (4096 object keys in one body). Keep max_payload of nats-server at least maxBytes plus headers.
 */
export interface RequestSettings {
  maxBytes: number;
  maxDepth: number;
  maxKeys: number;
}

/**
 * Throttling and lockout. Every limit is held in memory by each vault replica: with N replicas a
 * caller gets up to N times the limit (NATS queue groups spread requests across them). A rate
 * limit of 0 turns that limit off.
 */
export interface ThrottleSettings {
  /** The window the rate limits count in (fixed windows). */
  windowMs: number;
  /** Anonymous requests (auth.token, auth.challenge, status) per window, all callers together. */
  anonymous: number;
  /** Anonymous requests per window for one endpoint and one claimed client id (or none, e.g. status). */
  anonymousPerClient: number;
  /** Requests per window of one authenticated principal. */
  principal: number;
  /** Requests of one authenticated principal being handled at once. */
  principalInFlight: number;
  /**
   * A Throttled reply is sent after up to this much of its retry-after (the rest is in
   * retryAfterMs), so callers that ignore retry-after cannot loop on refusals; 0 replies at once.
   */
  holdMs: number;
  /** Client-secret checks (an HSM keyed hash, or scrypt before migration) running at once; the rest wait in a queue fair across client ids. */
  credentialChecks: number;
  /** Credential exchanges in progress at once (checking or waiting)… */
  credentialPending: number;
  /** …and for one claimed client id. */
  credentialPendingPerClient: number;
  /**
   * How long a client secret verified by this replica is recognised by an in-memory keyed hash (no HSM check),
   * also during a lockout of its client id; 0 turns this off.
   */
  verifiedSecretTtlMs: number;
  lockout: LockoutSettings;
}

/**
 * After `threshold` consecutive failed exchanges for a client id (and credential kind), the id is
 * locked out for baseMs, doubling with each further lockout up to maxMs; a failure after a lockout
 * locks it again at once. A success, or resetMs without a failure, forgets the history.
 */
export interface LockoutSettings {
  threshold: number;
  baseMs: number;
  maxMs: number;
  resetMs: number;
  /** Client ids whose failures are remembered (least recently failed forgotten first). */
  maxTracked: number;
}

/**
 * Which records the vault may fold into summary records: only those of requests with no
 * authenticated principal that did not succeed (unauthenticated, or anonymous and failed). Per
 * interval and per kind (scope, action, outcome, error code), the first `individualPerKind` are
 * recorded one by one (and at most `individualPerInterval` in all); the rest are counted into one
 * summary record per kind, written at the end of the interval. At most `maxKinds` kinds are tracked
 * per interval; requests of further kinds fold into one summary of their outcome and error code.
 */
export interface AuditAggregationSettings {
  intervalMs: number;
  individualPerKind: number;
  individualPerInterval: number;
  maxKinds: number;
}

export interface SchedulerSettings {
  /** Pause between two scans of the read model. */
  scanIntervalMs: number;
  /** Lease lifetime in the KV bucket: a dead leader's lease expires after this, and a standby takes over. */
  leaseTtlMs: number;
  /** SecretNearExpiry (and KeyNearExpiry without a Notify policy) this many days before exp… */
  nearExpiryDays: number;
  /** …or per vault (COFFER_SCHEDULER_NEAR_EXPIRY_DAYS_BY_VAULT=demo=7,prod=60). */
  nearExpiryDaysByVault: Record<string, number>;
  /** The scheduler principal's credentials (written by the vault on first start). */
  credentialsFile: string;
  /** Commands in flight at once during a scan. */
  concurrency: number;
}

export class ConfigError extends Error {}

/**
 * NATS credentials and TLS. Settings (README table; defaults are the embedded mode's):
 *
 *   COFFER_NATS_URL            nats://127.0.0.1:4333 or $COFFER_HOME/nats.url   server URL(s), comma-separated;
 *                              `nats://user:password@host:port` is accepted (nats.url is the client URL)
 *   COFFER_NATS_USER           (none; from the URL if it has one)   NATS user name. start.sh gives the apps
 *                              its own user (coffer-vault, coffer-projector, …); clients use `coffer-client` (from nats.url)
 *   COFFER_NATS_PASSWORD       (none)                          that user's password
 *   COFFER_NATS_PASSWORD_FILE  (none)                          file holding the password (wins over nothing,
 *                              loses to COFFER_NATS_PASSWORD); start.sh: $COFFER_HOME/nats/users/<user>.pass
 *   COFFER_NATS_RESPONDER_USER / _PASSWORD(_FILE)   the serving connection's user (vault, audit)
 *   COFFER_NATS_HOOKS_USER / _PASSWORD(_FILE)       the scheduler's rotation-hook sender
 *   COFFER_NATS_TOKEN          (none)                          NATS server auth token, instead of user/password
 *   COFFER_NATS_TLS_CA         (none: system CAs)              PEM CA bundle that signed the server certificate
 *   COFFER_NATS_TLS_CERT       (none)                          PEM client certificate (mutual TLS), with _KEY
 *   COFFER_NATS_TLS_KEY        (none)                          PEM private key of COFFER_NATS_TLS_CERT
 *
 * Any COFFER_NATS_TLS_* set turns TLS on for the connection. The embedded server (infra/nats) reads
 * COFFER_NATS_SERVER_TLS_CERT / _KEY (default: COFFER_NATS_TLS_CERT / _KEY) and
 * COFFER_NATS_SERVER_TLS_VERIFY (default false: client certificates not required).
 */
export interface NatsSettings {
  user?: string;
  password?: string;
  token?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/**
 * The NATS users of the embedded server (infra/nats/coffer.conf.template): one per app and role,
 * each with allow lists of exactly what it needs. `admin` (full access) provisions streams.
 */
export const NATS_USERS = {
  admin: 'coffer-admin',
  vault: 'coffer-vault',
  vaultResponder: 'coffer-vault-responder',
  cryptoWorker: 'coffer-crypto-worker',
  projector: 'coffer-projector',
  audit: 'coffer-audit',
  auditResponder: 'coffer-audit-responder',
  scheduler: 'coffer-scheduler',
  schedulerHooks: 'coffer-scheduler-hooks',
  client: 'coffer-client',
} as const;
export const NATS_CLIENT_USER = NATS_USERS.client;

interface ParsedNatsUrl {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Splits `nats://user:pass@host:port[,…]` into servers and credentials (nats.js 2 ignores, and
 * misparses, credentials in a server URL). A userinfo without `:` is a token.
 */
export function parseNatsUrl(url: string): ParsedNatsUrl {
  const result: ParsedNatsUrl = { servers: [] };
  for (const part of url.split(',').map((u) => u.trim()).filter(Boolean)) {
    const m = /^([a-z]+:\/\/)?(?:([^@/]*)@)?(.*)$/i.exec(part) as RegExpExecArray;
    const [, scheme = '', userinfo, rest] = m;
    result.servers.push(`${scheme}${rest}`);
    if (userinfo === undefined || result.user !== undefined || result.token !== undefined) continue;
    const colon = userinfo.indexOf(':');
    if (colon < 0) result.token = decodeURIComponent(userinfo);
    else {
      result.user = decodeURIComponent(userinfo.slice(0, colon));
      result.pass = decodeURIComponent(userinfo.slice(colon + 1));
    }
  }
  return result;
}

/** The URL with any password or token replaced by `***`, for messages and logs. */
export function redactNatsUrl(url: string): string {
  return url.replace(/(^|,|\/\/)([^@/,]*)@/g, (_all, lead: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${lead}${colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}

/** `nats://user:password@host:port` for one server address (what start.sh writes to nats.url). */
export function natsUrlWithCredentials(url: string, user: string, password: string): string {
  const { servers } = parseNatsUrl(url);
  return servers
    .map((s) => s.replace(/^([a-z]+:\/\/)?/i, (scheme) => `${scheme || 'nats://'}${encodeURIComponent(user)}:${encodeURIComponent(password)}@`))
    .join(',');
}

function tlsOptions(tls: NatsSettings['tls']): ConnectionOptions['tls'] | undefined {
  if (!tls || (!tls.caFile && !tls.certFile && !tls.keyFile)) return undefined;
  return {
    ...(tls.caFile ? { caFile: tls.caFile } : {}),
    ...(tls.certFile ? { certFile: tls.certFile } : {}),
    ...(tls.keyFile ? { keyFile: tls.keyFile } : {}),
  };
}

/**
 * The `nats` connection options every internal Coffer connection uses: servers, credentials
 * (settings win over those in the URL), TLS files, noAsyncTraces, reconnect forever every 250 ms.
 */
export function natsConnectOptions(config: { natsUrl: string; nats?: NatsSettings }, name?: string): ConnectionOptions {
  const url = parseNatsUrl(config.natsUrl);
  const settings = config.nats ?? {};
  const options: ConnectionOptions = {
    servers: url.servers,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ...(name ? { name } : {}),
  };
  if (settings.token) options.token = settings.token;
  else if (settings.user) {
    options.user = settings.user;
    options.pass = settings.password ?? (settings.user === url.user ? url.pass : undefined);
  } else if (url.user !== undefined) {
    options.user = url.user;
    options.pass = settings.password ?? url.pass;
  } else if (url.token !== undefined) options.token = url.token;
  // Each user may subscribe only to its own inbox prefix, and responders may answer only such inboxes.
  if (options.user) options.inboxPrefix = clientInboxPrefix(options.user);
  const tls = tlsOptions(settings.tls);
  if (tls) options.tls = tls;
  return options;
}

/**
 * Options for a client that has only a URL (SDK, CLI `--nats-url`): servers and credentials from
 * the URL, TLS files from COFFER_NATS_TLS_*; nats.js reconnect defaults.
 */
/** The reply-inbox prefix of a NATS client user: the only subjects it may subscribe to. */
export const clientInboxPrefix = (user: string) => `_INBOX_${user}`;

export function natsClientOptions(url: string, env: NodeJS.ProcessEnv = process.env): ConnectionOptions {
  const { servers, user, pass, token } = parseNatsUrl(url);
  const options: ConnectionOptions = { servers, noAsyncTraces: true };
  // A client user may only subscribe to its own inbox prefix (see infra/nats/coffer.conf.template).
  if (user !== undefined) Object.assign(options, { user, pass, inboxPrefix: clientInboxPrefix(user) });
  else if (token !== undefined) options.token = token;
  const tls = tlsOptions(natsTlsSettings(env));
  if (tls) options.tls = tls;
  return options;
}

function natsTlsSettings(env: NodeJS.ProcessEnv): NatsSettings['tls'] {
  const file = (key: string) => {
    const raw = env[key];
    if (!raw) return undefined;
    const path = resolve(raw);
    if (!existsSync(path)) throw new ConfigError(`${key}: ${path} does not exist`);
    return path;
  };
  const tls = { caFile: file('COFFER_NATS_TLS_CA'), certFile: file('COFFER_NATS_TLS_CERT'), keyFile: file('COFFER_NATS_TLS_KEY') };
  if (!tls.certFile !== !tls.keyFile) throw new ConfigError('COFFER_NATS_TLS_CERT and COFFER_NATS_TLS_KEY go together (set both or neither)');
  return tls.caFile || tls.certFile ? tls : undefined;
}

function natsSettings(env: NodeJS.ProcessEnv): NatsSettings {
  const settings: NatsSettings = userSettings(env, 'COFFER_NATS') ?? {};
  if (env.COFFER_NATS_TOKEN) settings.token = env.COFFER_NATS_TOKEN;
  if (settings.password !== undefined && !settings.user) throw new ConfigError('COFFER_NATS_PASSWORD(_FILE) needs COFFER_NATS_USER');
  if (settings.token && settings.user) throw new ConfigError('set COFFER_NATS_TOKEN or COFFER_NATS_USER, not both');
  const tls = natsTlsSettings(env);
  if (tls) settings.tls = tls;
  return settings;
}

/** `<prefix>_USER` with `<prefix>_PASSWORD` or `<prefix>_PASSWORD_FILE`, if any is set. */
function userSettings(env: NodeJS.ProcessEnv, prefix: string): NatsSettings | undefined {
  const settings: NatsSettings = {};
  if (env[`${prefix}_USER`]) settings.user = env[`${prefix}_USER`];
  if (env[`${prefix}_PASSWORD`]) settings.password = env[`${prefix}_PASSWORD`];
  else if (env[`${prefix}_PASSWORD_FILE`]) {
    const file = resolve(env[`${prefix}_PASSWORD_FILE`] as string);
    if (!existsSync(file)) throw new ConfigError(`${prefix}_PASSWORD_FILE: ${file} does not exist (npm start creates the embedded ones)`);
    settings.password = readFileSync(file, 'utf8').trim();
  }
  return settings.user !== undefined || settings.password !== undefined ? settings : undefined;
}

/** A second identity of this process (responder, hook sender): its own user, the main connection's TLS. */
function roleSettings(env: NodeJS.ProcessEnv, prefix: string, main: NatsSettings): NatsSettings | undefined {
  const settings = userSettings(env, prefix);
  if (!settings) return undefined;
  if (!settings.user) throw new ConfigError(`${prefix}_PASSWORD(_FILE) needs ${prefix}_USER`);
  return main.tls ? { ...settings, tls: main.tls } : settings;
}

/** Root of the checkout (dist/libs/config/src → ../../../.. ; libs/config/src → ../../..). */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'nest-cli.json'))) return dir;
    dir = resolve(dir, '..');
  }
  return process.cwd();
}

export const DEFAULT_EMBEDDED_NATS_PORT = 4333;

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be an integer from ${min} to ${max} (got '${raw}')`);
  }
  return n;
}

/** The embedded nats-server writes its URL to <home>/nats.url when it picks a port. */
export function embeddedNatsUrl(home: string): string {
  const file = join(home, 'nats.url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : `nats://127.0.0.1:${DEFAULT_EMBEDDED_NATS_PORT}`;
}

function daysByVault(env: NodeJS.ProcessEnv, key: string): Record<string, number> {
  const raw = env[key]?.trim();
  if (!raw) return {};
  return Object.fromEntries(raw.split(',').map((pair) => {
    const [vault, days] = pair.split('=').map((s) => s.trim());
    const n = Number(days);
    if (!vault || !Number.isInteger(n) || n < 1 || n > 3650) throw new ConfigError(`${key} must look like vault=days,vault=days (days 1-3650; got '${raw}')`);
    return [vault, n];
  }));
}

function natsRoles(env: NodeJS.ProcessEnv): Pick<CofferConfig, 'nats' | 'natsResponder' | 'natsHooks'> {
  const nats = natsSettings(env);
  const natsResponder = roleSettings(env, 'COFFER_NATS_RESPONDER', nats);
  const natsHooks = roleSettings(env, 'COFFER_NATS_HOOKS', nats);
  return { nats, ...(natsResponder ? { natsResponder } : {}), ...(natsHooks ? { natsHooks } : {}) };
}

/** The largest message nats-server accepts (COFFER_NATS_MAX_PAYLOAD: bytes, or with KB/MB), rendered into the embedded configuration. */
export function natsMaxPayload(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env.COFFER_NATS_MAX_PAYLOAD ?? '').trim();
  if (!raw) return 2 * 1024 * 1024;
  const m = /^(\d+)\s*(KB|MB)?$/i.exec(raw);
  const n = m ? Number(m[1]) * (m[2] ? (m[2].toUpperCase() === 'KB' ? 1024 : 1024 * 1024) : 1) : NaN;
  if (!Number.isInteger(n) || n < 64 * 1024 || n > 64 * 1024 * 1024) throw new ConfigError(`COFFER_NATS_MAX_PAYLOAD must be 64KB to 64MB (got '${raw}')`);
  return n;
}

/**
 * Throttling and lockout settings (README table). Defaults leave a single busy client (the secrets
 * benchmark: one principal, 64 in flight, 4–9k requests/s) untouched and stop a flood.
 */
function throttleSettings(env: NodeJS.ProcessEnv): ThrottleSettings {
  const lockout: LockoutSettings = {
    threshold: int(env, 'COFFER_LOCKOUT_THRESHOLD', 10, 1, 1000),
    baseMs: int(env, 'COFFER_LOCKOUT_BASE_MS', 1_000, 1, 86_400_000),
    maxMs: int(env, 'COFFER_LOCKOUT_MAX_MS', 300_000, 1, 86_400_000),
    resetMs: int(env, 'COFFER_LOCKOUT_RESET_MS', 900_000, 1_000, 7 * 86_400_000),
    maxTracked: int(env, 'COFFER_LOCKOUT_MAX_TRACKED', 100_000, 100, 10_000_000),
  };
  if (lockout.maxMs < lockout.baseMs) throw new ConfigError('COFFER_LOCKOUT_MAX_MS must be at least COFFER_LOCKOUT_BASE_MS');
  const settings: ThrottleSettings = {
    windowMs: int(env, 'COFFER_THROTTLE_WINDOW_MS', 1_000, 100, 3_600_000),
    anonymous: int(env, 'COFFER_THROTTLE_ANONYMOUS', 2_000, 0, 10_000_000),
    anonymousPerClient: int(env, 'COFFER_THROTTLE_ANONYMOUS_PER_CLIENT', 50, 0, 10_000_000),
    principal: int(env, 'COFFER_THROTTLE_PRINCIPAL', 20_000, 0, 10_000_000),
    principalInFlight: int(env, 'COFFER_THROTTLE_PRINCIPAL_IN_FLIGHT', 256, 1, 1_000_000),
    holdMs: int(env, 'COFFER_THROTTLE_HOLD_MS', 1_000, 0, 60_000),
    credentialChecks: int(env, 'COFFER_CREDENTIAL_CHECKS', Math.max(1, Math.min(4, availableParallelism())), 1, 64),
    credentialPending: int(env, 'COFFER_CREDENTIAL_PENDING', 256, 1, 100_000),
    credentialPendingPerClient: int(env, 'COFFER_CREDENTIAL_PENDING_PER_CLIENT', 16, 1, 100_000),
    verifiedSecretTtlMs: int(env, 'COFFER_CREDENTIAL_PROOF_TTL_MS', 30 * 60_000, 0, 86_400_000),
    lockout,
  };
  if (settings.credentialPendingPerClient > settings.credentialPending) {
    throw new ConfigError('COFFER_CREDENTIAL_PENDING_PER_CLIENT must not exceed COFFER_CREDENTIAL_PENDING');
  }
  return settings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CofferConfig {
  const home = env.COFFER_HOME ? resolve(env.COFFER_HOME) : join(repoRoot(), '.coffer');
  const dbUrl = env.COFFER_DB_URL || `sqlite:${join(home, 'readmodel.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(dbUrl)) {
    throw new ConfigError(`COFFER_DB_URL must start with sqlite: or postgres:// (got '${dbUrl}')`);
  }
  const pinFile = env.COFFER_PKCS11_PIN_FILE || join(home, 'hsm', 'user.pin');
  return {
    home,
    natsUrl: env.COFFER_NATS_URL || embeddedNatsUrl(home),
    ...natsRoles(env),
    dbUrl,
    pkcs11: {
      module: env.COFFER_PKCS11_MODULE || '/usr/lib/softhsm/libsofthsm2.so',
      token: env.COFFER_PKCS11_TOKEN || 'coffer',
      pinFile: isAbsolute(pinFile) ? pinFile : resolve(pinFile),
      sessions: int(env, 'COFFER_PKCS11_SESSIONS', 8, 1, 256),
    },
    secretValueMaxBytes: int(env, 'COFFER_SECRET_MAX_BYTES', 25 * 1024, 1, 4 * 1024 * 1024),
    dekCacheTtlMs: int(env, 'COFFER_DEK_CACHE_TTL_MS', 300_000, 0, 86_400_000),
    dekCacheMaxEntries: int(env, 'COFFER_DEK_CACHE_MAX', 10_000, 0, 10_000_000),
    projectionWaitMs: int(env, 'COFFER_PROJECTION_WAIT_MS', 5_000, 100, 600_000),
    cryptoTimeoutMs: int(env, 'COFFER_CRYPTO_TIMEOUT_MS', 5_000, 100, 600_000),
    logLevel: env.COFFER_LOG_LEVEL || 'info',
    streamReplicas: int(env, 'COFFER_STREAM_REPLICAS', 1, 1, 5),
    dedupeWindowMs: int(env, 'COFFER_DEDUPE_WINDOW_MS', 120_000, 100, 86_400_000),
    // At least 24 h in production; shorter values exist for tests.
    requestIdHorizonMs: int(env, 'COFFER_REQUEST_ID_HORIZON_MS', 86_400_000, 1_000, 366 * 86_400_000),
    auth: {
      tokenTtlSeconds: int(env, 'COFFER_TOKEN_TTL_SECONDS', 15 * 60, 1, 86_400),
      principalCacheMs: int(env, 'COFFER_AUTH_CACHE_MS', 1000, 0, 60_000),
    },
    audit: {
      dbUrl: env.COFFER_AUDIT_DB_URL || (dbUrl.startsWith('sqlite:') ? `sqlite:${join(home, 'audit.sqlite')}` : dbUrl),
      checkpointEvery: int(env, 'COFFER_AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
      checkpointIntervalMs: int(env, 'COFFER_AUDIT_CHECKPOINT_INTERVAL_MS', 10_000, 10, 86_400_000),
      verifyCatchUpMs: int(env, 'COFFER_AUDIT_VERIFY_CATCH_UP_MS', 5_000, 0, 600_000),
      streamMaxBytes: int(env, 'COFFER_AUDIT_STREAM_MAX_BYTES', 1024 ** 3, 64 * 1024, Number.MAX_SAFE_INTEGER),
      streamMaxMessages: int(env, 'COFFER_AUDIT_STREAM_MAX_MESSAGES', 10_000_000, 16, Number.MAX_SAFE_INTEGER),
      checkpointsMaxBytes: int(env, 'COFFER_AUDIT_CHECKPOINTS_MAX_BYTES', 64 * 1024 ** 2, 64 * 1024, Number.MAX_SAFE_INTEGER),
      dbMaxBytes: int(env, 'COFFER_AUDIT_DB_MAX_BYTES', 4 * 1024 ** 3, 1024 ** 2, Number.MAX_SAFE_INTEGER),
      nearFullPercent: int(env, 'COFFER_AUDIT_NEAR_FULL_PERCENT', 80, 1, 100),
      aggregation: {
        intervalMs: int(env, 'COFFER_AUDIT_AGGREGATE_INTERVAL_MS', 10_000, 100, 3_600_000),
        individualPerKind: int(env, 'COFFER_AUDIT_AGGREGATE_INDIVIDUAL_PER_KIND', 10, 0, 1_000_000),
        individualPerInterval: int(env, 'COFFER_AUDIT_AGGREGATE_INDIVIDUAL_PER_INTERVAL', 200, 0, 1_000_000),
        maxKinds: int(env, 'COFFER_AUDIT_AGGREGATE_MAX_KINDS', 256, 1, 100_000),
      },
    },
    throttle: throttleSettings(env),
    devMode: env.COFFER_DEV_MODE === '1' || env.COFFER_DEV_MODE === 'true',
    scheduler: {
      scanIntervalMs: int(env, 'COFFER_SCHEDULER_SCAN_INTERVAL_MS', 30_000, 100, 86_400_000),
      leaseTtlMs: int(env, 'COFFER_SCHEDULER_LEASE_TTL_MS', 5_000, 1_000, 600_000),
      nearExpiryDays: int(env, 'COFFER_SCHEDULER_NEAR_EXPIRY_DAYS', 30, 1, 3650),
      nearExpiryDaysByVault: daysByVault(env, 'COFFER_SCHEDULER_NEAR_EXPIRY_DAYS_BY_VAULT'),
      credentialsFile: env.COFFER_SCHEDULER_CREDENTIALS ? resolve(env.COFFER_SCHEDULER_CREDENTIALS) : join(home, 'scheduler.credentials'),
      concurrency: int(env, 'COFFER_SCHEDULER_CONCURRENCY', 8, 1, 256),
    },
    request: {
      maxBytes: int(env, 'COFFER_MAX_REQUEST_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxDepth: int(env, 'COFFER_MAX_REQUEST_DEPTH', 32, 4, 256),
      maxKeys: int(env, 'COFFER_MAX_REQUEST_KEYS', 4096, 64, 1_000_000),
    },
    ops: opsSettings(env),
  };
}

/** Reads the HSM user PIN; the file must not be readable by others. */
export function readPin(pinFile: string): string {
  if (!existsSync(pinFile)) throw new ConfigError(`PKCS#11 PIN file ${pinFile} does not exist (run npm run setup)`);
  return readFileSync(pinFile, 'utf8').trim();
}
