import { ConfigError } from '@coffer/config';

/**
 * Audit app settings (defaults for the embedded mode):
 *   COFFER_AUDIT_CHECKPOINT_EVERY        1000    sign a checkpoint after this many new records
 *   COFFER_AUDIT_CHECKPOINT_INTERVAL_MS  10000   …or after this long, when anything new was chained
 *   COFFER_AUDIT_VERIFY_CATCH_UP_MS      5000    how long verify waits for the chain to reach the stream's end
 */
export interface AuditOptions {
  checkpointEvery: number;
  checkpointIntervalMs: number;
  verifyCatchUpMs: number;
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer from ${min} to ${max} (got '${raw}')`);
  return n;
}

export function loadAuditOptions(env: NodeJS.ProcessEnv = process.env): AuditOptions {
  return {
    checkpointEvery: int(env, 'COFFER_AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
    checkpointIntervalMs: int(env, 'COFFER_AUDIT_CHECKPOINT_INTERVAL_MS', 10_000, 10, 86_400_000),
    verifyCatchUpMs: int(env, 'COFFER_AUDIT_VERIFY_CATCH_UP_MS', 5_000, 0, 600_000),
  };
}
