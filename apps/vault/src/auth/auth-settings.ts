import { Provider } from '@nestjs/common';
import { DEFAULT_TOKEN_TTL_SECONDS } from '@coffer/contracts';

/**
 * Authentication settings (read from the environment here, not in @coffer/config):
 *   COFFER_TOKEN_TTL_SECONDS    900   access token lifetime (1 s … 24 h)
 *   COFFER_AUTH_CACHE_MS        1000  how long a principal's enabled flag, revocation time and role
 *                                     assignments are cached per vault replica: the revocation delay
 *                                     on OTHER replicas (the replica that handled the change drops its
 *                                     entry at once)
 */
export interface AuthSettings {
  tokenTtlSeconds: number;
  principalCacheMs: number;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function authSettingsFrom(env: NodeJS.ProcessEnv): AuthSettings {
  return {
    tokenTtlSeconds: intSetting(env, 'COFFER_TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, 1, 86_400),
    principalCacheMs: intSetting(env, 'COFFER_AUTH_CACHE_MS', 1000, 0, 60_000),
  };
}

export const authSettingsProvider: Provider = { provide: AUTH_SETTINGS, useFactory: () => authSettingsFrom(process.env) };
