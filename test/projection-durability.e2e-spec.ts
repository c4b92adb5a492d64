import { CofferClient, CofferRequestError, SecretsClient } from '@coffer/client';
import { InternalSubjects } from '@coffer/contracts';
import { openReadModel } from '@coffer/read-model';
import { SqlitePragmas } from '@coffer/sql';
import { connectTo, createTestSchema, dumpReadModel, postgresAvailableSync, until } from '@coffer/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NatsConnection, Subscription } from 'nats';
import { rebuildReadModel } from '../apps/projector/src/rebuild.command';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

/**
 * Invariant 10 through the real vault and projector: a write is acknowledged only once the read
 * model has durably committed it, whatever the database does. A full disk (SQLite with a
 * `max_page_count` on the projector's connection) and a killed PostgreSQL connection must not
 * produce an acknowledged write that reads back missing; the projector reports the failure,
 * writes fail with a retryable ServiceUnavailable, and everything recovers by itself.
 */

interface Write {
  name: string;
  value: string;
  requestId: string;
}
interface Outcome extends Write {
  ok: boolean;
  code?: string;
  innerCode?: string;
  ms: number;
}

const RETRYABLE_INNER = ['ReadModelUnavailable', 'ProjectionLagging'];
const PROJECTION_WAIT_MS = 15_000;

/** `writers` concurrent loops of set() on fresh names, recorded in `outcomes`; each ends when `stop()` says so, or after `perWriter` writes. */
async function workload(
  secrets: SecretsClient, prefix: string, writers: number, stop: (o: Outcome) => boolean, perWriter = 400, outcomes: Outcome[] = [],
): Promise<Outcome[]> {
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = 0; n < perWriter; n++) {
        const write: Write = { name: `${prefix}-${w}-${n}`, value: randomBytes(600).toString('hex'), requestId: randomUUID() };
        const started = Date.now();
        let outcome: Outcome;
        try {
          await secrets.set(write.name, write.value, { requestId: write.requestId, retries: 0 });
          outcome = { ...write, ok: true, ms: Date.now() - started };
        } catch (e) {
          const err = e as CofferRequestError;
          outcome = { ...write, ok: false, code: err.code, innerCode: err.innerCode, ms: Date.now() - started };
        }
        outcomes.push(outcome);
        if (stop(outcome)) return;
      }
    }),
  );
  return outcomes;
}

/** Names whose acknowledged value does not read back (missing or different). */
async function unreadable(secrets: SecretsClient, writes: Write[]): Promise<string[]> {
  const bad: string[] = [];
  for (const w of writes) {
    try {
      if ((await secrets.get(w.name)).value !== w.value) bad.push(`${w.name}: other value`);
    } catch (e) {
      bad.push(`${w.name}: ${(e as CofferRequestError).code}`);
    }
  }
  return bad;
}

/** The writes that failed, sent again with the same request ids once the projector is back: each must succeed. */
async function retryFailed(secrets: SecretsClient, outcomes: Outcome[]): Promise<Write[]> {
  const failed = outcomes.filter((o) => !o.ok);
  for (const f of failed) await secrets.set(f.name, f.value, { requestId: f.requestId });
  return failed;
}

/** Versions per name (a retried write must not have applied twice). */
async function versionCounts(secrets: SecretsClient, names: string[]): Promise<number[]> {
  const counts: number[] = [];
  for (const name of names) {
    let n = 0;
    for await (const _ of secrets.listVersions(name)) n++;
    counts.push(n);
  }
  return counts;
}

/** Watches the projector's announcements (test-only admin connection): how many said it was stalled, and with what. */
class StallWatch {
  errors: string[] = [];
  private sub?: Subscription;
  constructor(private readonly nc: NatsConnection) {
    this.sub = nc.subscribe(InternalSubjects.projectorApplied, {
      callback: (_e, msg) => {
        const { error } = msg.json<{ error?: string }>();
        if (error) this.errors.push(error);

      },
    });
  }
  async close(): Promise<void> {
    this.sub?.unsubscribe();
    await this.nc.close();
  }
}

async function expectRebuildEqualsLive(stack: InProcessStack, dbUrl: string): Promise<void> {
  const rebuiltUrl = `sqlite:${join(stack.home, `rebuilt-${randomUUID()}.sqlite`)}`;
  await rebuildReadModel({ natsUrl: stack.nats.userUrl('coffer-projector'), dbUrl: rebuiltUrl });
  expect(await dumpReadModel(rebuiltUrl)).toEqual(await dumpReadModel(dbUrl));
}

/**
 * How the disk fills. By default a `max_page_count` on every connection the projector opens
 * (portable; SQLite fails at page allocation). With COFFER_TEST_FULL_DISK_DIR set to a small
 * filesystem of its own (e.g. `mount -t tmpfs -o size=2m tmpfs /mnt/full`), the read model lives there
 * and ballast files fill it for real (SQLite then also fails at commit, leaving the transaction open).
 */
interface FullDisk {
  dbUrl?: string;
  projectorDb: { prepareSqlite?: (db: SqlitePragmas) => void };
  fill(): Promise<void>;
  free(): void;
}

function pageCountDisk(): FullDisk {
  const handles: SqlitePragmas[] = [];
  let maxPages: number | undefined;
  const setMaxPages = (n: number) => {
    maxPages = n;
    for (const h of handles) {
      try {
        h.pragma(`max_page_count = ${n}`);
      } catch {
        // closed connection
      }
    }
  };
  const pageCount = (): number => {
    for (const h of [...handles].reverse()) {
      try {
        return Number(h.pragma('page_count', { simple: true }));
      } catch {
        // closed connection
      }
    }
    throw new Error('no open projector connection');
  };
  return {
    projectorDb: {
      prepareSqlite: (db) => {
        handles.push(db);
        if (maxPages !== undefined) db.pragma(`max_page_count = ${maxPages}`);
      },
    },
    fill: async () => setMaxPages(pageCount() + 8),
    free: () => setMaxPages(1_000_000_000),
  };
}

function realDisk(dir: string): FullDisk {
  const ballast: string[] = [];
  return {
    dbUrl: `sqlite:${join(dir, `readmodel-${randomUUID()}.sqlite`)}`,
    projectorDb: {},
    fill: async () => {
      for (let i = 0; ; i++) {
        const file = join(dir, `ballast-${randomUUID()}`);
        try {
          writeFileSync(file, Buffer.alloc(4096));
          ballast.push(file);
        } catch {
          rmSync(file, { force: true });
          return;
        }
      }
    },
    free: () => {
      for (const file of ballast.splice(0)) rmSync(file, { force: true });
    },
  };
}

const fullDiskDir = process.env.COFFER_TEST_FULL_DISK_DIR;

describe(`full disk under the SQLite read model (${fullDiskDir ? `real, in ${fullDiskDir}` : 'max_page_count on the projector connection'})`, () => {
  let stack: InProcessStack;
  let client: CofferClient;
  let secrets: SecretsClient;
  const disk = fullDiskDir ? realDisk(fullDiskDir) : pageCountDisk();

  beforeAll(async () => {
    stack = await startInProcessStack({ dbUrl: disk.dbUrl, env: { COFFER_PROJECTION_WAIT_MS: String(PROJECTION_WAIT_MS) }, projector: { db: disk.projectorDb } });
    client = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 30_000, credentials: adminCredentials(stack.home) });
    await client.vaults.create('full');
    secrets = client.secrets('full');
    await secrets.set('before', 'the disk filled');
  }, 60_000);
  afterAll(async () => {
    disk.free();
    await client?.close();
    await stack?.stop();
    if (disk.dbUrl) for (const suffix of ['', '-wal', '-shm']) rmSync(`${disk.dbUrl.slice('sqlite:'.length)}${suffix}`, { force: true });
  });

  it('acknowledges no write it did not commit, reports the full disk, and recovers by itself once there is room', async () => {
    const watch = new StallWatch(await connectTo(stack.nats.adminUrl));
    try {
      await disk.fill();
      // Writers go on through the full disk (as clients would) until 16 writes have failed.
      const outcomes: Outcome[] = [];
      await workload(secrets, 'w', 8, () => outcomes.filter((o) => !o.ok).length >= 16, 400, outcomes);
      const acknowledged = outcomes.filter((o) => o.ok);
      const failed = outcomes.filter((o) => !o.ok);
      // The defect: writes acknowledged while the projector's commits silently went nowhere.
      expect(await unreadable(secrets, acknowledged)).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);

      // Failures are retryable ServiceUnavailable, and fail fast rather than waiting COFFER_PROJECTION_WAIT_MS.
      expect(new Set(failed.map((f) => f.code))).toEqual(new Set(['ServiceUnavailable']));
      for (const f of failed) expect(RETRYABLE_INNER).toContain(f.innerCode);
      expect(Math.max(...failed.map((f) => f.ms))).toBeLessThan(PROJECTION_WAIT_MS);

      // The projector keeps retrying (with backoff) and says why in coffer status.
      await until('the projector to have retried a few times', async () => /failed ([3-9]|\d\d+) time/.test((await client.status()).projector.detail ?? ''), 30_000);
      const status = await client.status();
      expect(status.projector).toMatchObject({ ok: false, detail: expect.stringContaining('database or disk is full') });
      expect(status.projector.lag).toBeGreaterThanOrEqual(0);
      expect(watch.errors.length).toBeGreaterThan(0);
      // Still full: a new write is refused before it is recorded.
      const refused = await secrets.set('while-full', 'x').then(() => undefined, (e: CofferRequestError) => e);
      expect(refused).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ReadModelUnavailable' });
      expect((await client.status()).projector.ok).toBe(false);

      // Room again: the projector recovers by itself (no restart), and catches up.
      disk.free();
      await until('the projector to recover and catch up', async () => {
        const s = (await client.status()).projector;
        return s.ok && s.lag === 0 ? s : undefined;
      }, 60_000);
      const retried = await retryFailed(secrets, outcomes);
      expect(await unreadable(secrets, [...acknowledged, ...retried])).toEqual([]);
      expect(new Set(await versionCounts(secrets, retried.map((r) => r.name)))).toEqual(new Set([1]));
      expect((await secrets.get('before')).value).toBe('the disk filled');
      await secrets.set('after', 'recovered');
      expect((await secrets.get('after')).value).toBe('recovered');
      console.info(`full disk: ${acknowledged.length} acknowledged, ${failed.length} refused (${[...new Set(failed.map((f) => f.innerCode))].join(', ')}), ${watch.errors.length} stall announcements`);

      await expectRebuildEqualsLive(stack, stack.config.dbUrl);
    } finally {
      await watch.close();
    }
  }, 180_000);
});

const pgRun = postgresAvailableSync() ? describe : describe.skip;
if (!postgresAvailableSync()) {
  console.warn('SKIPPED: PostgreSQL suite (projection durability): nothing answers on 127.0.0.1:5432');
}

pgRun('killed PostgreSQL connection under the read model (pg_terminate_backend)', () => {
  let stack: InProcessStack;
  let pg: { url: string; drop(): Promise<void> };
  let client: CofferClient;
  let secrets: SecretsClient;
  // A name of its own, so the test kills only this projector's connection.
  const applicationName = `coffer-projector-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    pg = await createTestSchema();
    stack = await startInProcessStack({ dbUrl: pg.url, env: { COFFER_PROJECTION_WAIT_MS: String(PROJECTION_WAIT_MS) }, projector: { db: { applicationName } } });
    client = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 30_000, credentials: adminCredentials(stack.home) });
    await client.vaults.create('killed');
    secrets = client.secrets('killed');
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    await pg?.drop();
  });

  it('replaces a killed connection mid-stream, acknowledges nothing it did not commit, and rebuild equals live', async () => {
    const admin = await openReadModel(pg.url, { migrate: false });
    const watch = new StallWatch(await connectTo(stack.nats.adminUrl));
    const backends = async () =>
      ((await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])) as { pid: number }[]).map((r) => r.pid);
    try {
      let stop = false;
      const live: Outcome[] = [];
      const running = workload(secrets, 'k', 8, () => stop, 100_000, live);
      const acked = () => live.filter((o) => o.ok).length;
      for (let kill = 1; kill <= 3; kill++) {
        const before = await until('a projector connection', async () => ((await backends()).length > 0 ? backends() : undefined));
        await until('writes being acknowledged', () => acked() > 0);
        const stalls = watch.errors.length;
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        await until(`the projector to report the killed connection (kill ${kill})`, () => watch.errors.length > stalls);
        const ackedAtStall = acked();
        await until(`writes acknowledged again, through a new connection (kill ${kill})`, async () => {
          const now = await backends();
          return now.length > 0 && now.every((pid) => !before.includes(pid)) && acked() > ackedAtStall + 8;
        });
      }
      stop = true;
      const outcomes = await running;
      const acknowledged = outcomes.filter((o) => o.ok);
      const failed = outcomes.filter((o) => !o.ok);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(new Set(failed.map((f) => f.code))).toEqual(new Set(failed.length ? ['ServiceUnavailable'] : []));
      for (const f of failed) expect(RETRYABLE_INNER).toContain(f.innerCode);
      expect(watch.errors.join('\n')).toMatch(/terminat|connection/i);

      await until('the projector to be healthy and caught up', async () => {
        const s = (await client.status()).projector;
        return s.ok && s.lag === 0 ? s : undefined;
      });
      expect(await unreadable(secrets, acknowledged)).toEqual([]);
      const retried = await retryFailed(secrets, outcomes);
      expect(await unreadable(secrets, retried)).toEqual([]);
      expect(new Set(await versionCounts(secrets, retried.map((r) => r.name)))).toEqual(new Set(retried.length ? [1] : []));
      console.info(`killed connection x3: ${acknowledged.length} acknowledged, ${failed.length} refused, ${watch.errors.length} stall announcements`, watch.errors.join(' | '));

      await expectRebuildEqualsLive(stack, pg.url);
    } finally {
      await watch.close();
      await admin.destroy();
    }
  }, 180_000);
});
