import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LifecycleQueries, openReadModel } from '@coffer/read-model';
import { sqlRunner } from '@coffer/sql';
import { DAY_MS } from '@coffer/domain';
import { defaultRules } from '../apps/scheduler/src/rules';
import { Scanner } from '../apps/scheduler/src/scanner';
import { LoadResult } from './closed-loop';

export const SCAN_OBJECTS = 100_000;

/**
 * The scheduler's scan over 100k secrets whose current version is inside its near-expiry window,
 * seeded straight into a scratch SQLite read model. Commands are recorded, not sent: this times
 * the read side (keyset-paged queries, due-time logic, request ids), which is what grows with the
 * number of objects; sending is bounded by the vault's write rate (the secrets bench). Rate: seeded
 * objects per second of one whole scan (every rule: each secret is read by the expiry and hook rules).
 */
export async function measureSchedulerScan(objects = SCAN_OBJECTS): Promise<LoadResult & { actions: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-scan-'));
  const ds = await openReadModel(`sqlite:${join(dir, 'readmodel.sqlite')}`, { migrate: true });
  try {
    const now = Date.now();
    await seedExpiringSecrets(ds, objects, now);
    let sent = 0;
    const scanner = new Scanner(new LifecycleQueries(ds), defaultRules(), { nearExpiryDays: 30, nearExpiryDaysByVault: {}, concurrency: 64 }, async () => {
      sent++;
    });
    const began = performance.now();
    const stats = await scanner.scan(now);
    const seconds = (performance.now() - began) / 1000;
    return {
      name: `scheduler scan (${objects / 1000}k secrets)`, concurrency: 1, seconds, ops: objects, opsPerSec: objects / seconds,
      p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: stats.ms, errors: stats.failures, actions: sent,
    };
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seedExpiringSecrets(ds: Awaited<ReturnType<typeof openReadModel>>, objects: number, now: number): Promise<void> {
  const created = new Date(now - DAY_MS).toISOString();
  await ds.transaction(async (manager) => {
    const run = sqlRunner(manager);
    const secret = 'INSERT INTO "secrets" ("vault","name","status","currentVersion","sequence","dek","versionCount","created","updated") VALUES (?,?,?,?,?,?,?,?,?)';
    const version = 'INSERT INTO "secret_versions" ("vault","name","version","ordinal","value","dek","enabled","exp","created","updated") VALUES (?,?,?,?,?,?,?,?,?,?)';
    await run('INSERT INTO "vaults" ("name","kekId","retentionDays","purgeProtection","created","updated","sequence") VALUES (?,?,?,?,?,?,?)', ['bench', 'kek', 90, 0, created, created, 1]);
    for (let i = 0; i < objects; i++) {
      const name = `s-${String(i).padStart(6, '0')}`;
      const v = i.toString(16).padStart(32, '0');
      // Spread over the next 30 days: every one is inside the default near-expiry window.
      const exp = new Date(now + ((i % 29) + 1) * DAY_MS).toISOString();
      await run(secret, ['bench', name, 'active', v, i + 2, 1, 1, created, created]);
      await run(version, ['bench', name, v, 1, '{}', 1, 1, exp, created, created]);
    }
  });
}
