import { ClientCredentials, CredentialEnv, parseCredentials, readCredentialsFile } from '@coffer/client';
import { embeddedNatsUrl, loadConfig } from '@coffer/config';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** Where the credentials of a run came from (in precedence order). */
export type CredentialSource = 'token-option' | 'env-token' | 'env-credentials' | 'login' | 'embedded' | 'none';

export interface ResolvedCredentials {
  source: CredentialSource;
  credentials?: ClientCredentials;
  /** The file they were read from, if any. */
  path?: string;
  /** Things worth telling the user on stderr (e.g. an expired login). */
  notes: string[];
}

/** The file the embedded server writes on first start: {"clientId","clientSecret"}, mode 0600. */
export const ADMIN_CREDENTIALS_FILE = 'admin.credentials';

/** A cached login token is not used when less than this is left: the command would fail half-way. */
export const LOGIN_MIN_REMAINING_MS = 10_000;

/** What `coffer login` caches: the token, for which server, until when. */
export interface TokenCache {
  natsUrl: string;
  accessToken: string;
  tokenType: 'Bearer';
  expiresOn: string;
  clientId?: string;
  created: string;
}

export function embeddedCredentialsPath(env: NodeJS.ProcessEnv): string {
  return join(loadConfig(env).home, ADMIN_CREDENTIALS_FILE);
}

/** `${XDG_CONFIG_HOME:-~/.config}/coffer/token.json`. */
export function tokenCachePath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(configHome, 'coffer', 'token.json');
}

/** NATS URLs compared loosely: scheme optional, case and a trailing slash ignored. */
export function sameNatsUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    const t = u.trim().toLowerCase().replace(/\/+$/, '');
    return t.includes('://') ? t : `nats://${t}`;
  };
  return norm(a) === norm(b);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Whether `natsUrl` is the Coffer on this machine: the embedded server's URL, or a loopback one.
 * The local admin secret is never sent anywhere else.
 */
export function isLocalNatsUrl(natsUrl: string, env: NodeJS.ProcessEnv): boolean {
  if (sameNatsUrl(natsUrl, embeddedNatsUrl(loadConfig(env).home))) return true;
  try {
    const url = new URL(natsUrl.includes('://') ? natsUrl : `nats://${natsUrl}`);
    return LOOPBACK.has(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** The embedded admin credentials when readable and the target is local; undefined otherwise. */
export function embeddedCredentials(natsUrl: string, env: NodeJS.ProcessEnv): { credentials: ClientCredentials; path: string } | undefined {
  const path = embeddedCredentialsPath(env);
  if (!isLocalNatsUrl(natsUrl, env)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // absent or not ours to read: not an error, just not a source
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { credentials: parseCredentials(json, `credentials file ${path}`), path };
}

export function readTokenCache(path: string): TokenCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as Partial<TokenCache>;
    if (typeof cache.accessToken !== 'string' || typeof cache.natsUrl !== 'string' || typeof cache.expiresOn !== 'string') return undefined;
    return cache as TokenCache;
  } catch {
    return undefined;
  }
}

/** Writes the cache 0600 (directory 0700), atomically: a reader never sees half a file, nor a wider mode. */
export function writeTokenCache(path: string, cache: TokenCache): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(cache, null, 2)}\n`, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** True when there was a cache to delete. */
export function deleteTokenCache(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface ResolveInput {
  /** `--token`. */
  token?: string;
  natsUrl: string;
  env: NodeJS.ProcessEnv;
  now: number;
}

/**
 * The credentials a command runs with, first found wins: `--token`, $COFFER_TOKEN,
 * $COFFER_CREDENTIALS (a fresh token each run), the `coffer login` token (same NATS URL, not
 * expired), the embedded $COFFER_HOME/admin.credentials (readable, and the server is local).
 */
export function resolveCredentials({ token, natsUrl, env, now }: ResolveInput): ResolvedCredentials {
  const notes: string[] = [];
  if (token?.trim()) return { source: 'token-option', credentials: { token: token.trim() }, notes };
  const envToken = env[CredentialEnv.token]?.trim();
  if (envToken) return { source: 'env-token', credentials: { token: envToken }, notes };
  const envFile = env[CredentialEnv.credentials]?.trim();
  if (envFile) return { source: 'env-credentials', credentials: readCredentialsFile(envFile), path: envFile, notes };

  const cachePath = tokenCachePath(env);
  const cache = readTokenCache(cachePath);
  if (cache && sameNatsUrl(cache.natsUrl, natsUrl)) {
    const expires = Date.parse(cache.expiresOn);
    if (Number.isFinite(expires) && expires - now > LOGIN_MIN_REMAINING_MS) {
      return { source: 'login', credentials: { token: cache.accessToken }, path: cachePath, notes };
    }
    notes.push(`the login token for ${cache.natsUrl} expired at ${cache.expiresOn}: run coffer login`);
  }

  const embedded = embeddedCredentials(natsUrl, env);
  if (embedded) return { source: 'embedded', ...embedded, notes };
  return { source: 'none', notes };
}
