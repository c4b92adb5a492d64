import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * One validated configuration for every Coffer process, from the environment. Every setting has a
 * default for the embedded mode (everything under COFFER_HOME, `.coffer/` in the checkout).
 */
export interface CofferConfig {
  home: string;
  natsUrl: string;
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
}

export class ConfigError extends Error {}

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
    projectionWaitMs: int(env, 'COFFER_PROJECTION_WAIT_MS', 10_000, 100, 600_000),
    cryptoTimeoutMs: int(env, 'COFFER_CRYPTO_TIMEOUT_MS', 5_000, 100, 600_000),
    logLevel: env.COFFER_LOG_LEVEL || 'info',
  };
}

/** Reads the HSM user PIN; the file must not be readable by others. */
export function readPin(pinFile: string): string {
  if (!existsSync(pinFile)) throw new ConfigError(`PKCS#11 PIN file ${pinFile} does not exist (run npm run setup)`);
  return readFileSync(pinFile, 'utf8').trim();
}
