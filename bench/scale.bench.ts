import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CofferClient, SecretsClient } from '@coffer/client';
import { DomainEvent, Streams } from '@coffer/contracts';
import { LifecycleQueries, openReadModel } from '@coffer/read-model';
import { CofferStack, createTestSchema, postgresAvailable, rssOfProcessTree, sampleRss, startCofferStack } from '@coffer/testing';
import { connect } from 'nats';
import { natsClientOptions } from '@coffer/config';
import { rebuildReadModel } from '../apps/projector/src/rebuild.command';
import { defaultRules } from '../apps/scheduler/src/rules';
import { Scanner } from '../apps/scheduler/src/scanner';
import { BenchOptions } from './bench-options';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';
import { Check, check, formatChecks, formatResults, MiB, progress } from './report';

/** Issue 14 item 7: what a vault of a million secrets must still do. */
export const SCALE_TARGETS = {
  rebuildSqliteEventsPerSec: 20_000,
  rebuildPostgresEventsPerSec: 10_000,
  listP99Ms: 50,
  scanSeconds: 60,
  peakRssMiB: 1.2 * 1024,
} as const;

export const SCALE_OBJECTS = 1_000_000;
const VAULT = 'scale';
/** Real secrets (set through the SDK) that the gets read, in both the small and the big vault. */
const PROBES = 64;
/** One secret in this many has 10 versions (the rest one). */
const MANY_VERSIONS_EVERY = 100;
const MANY_VERSIONS = 10;
/** Seeding publishes are flushed (a round trip to the server) every this many. */
const SEED_FLUSH_EVERY = 2000;
const READ_IN_FLIGHT = 16;
/**
 * PostgreSQL rebuilds the first this many events only: on this machine every statement is a round
 * trip of 0.5–2 ms, so a whole million would take hours (the rate is what is reported).
 */
const PG_REBUILD_EVENTS = 10_000;

/**
 * `bench scale [--objects N]`: a vault with N secrets (1 in 100 with 10 versions) and what grows
 * with N. The bulk is made by appending copies of a real SecretSet event (renamed, new version ids
 * and request ids, no check-and-set expectation) straight to COFFER_EVENTS while the projector is
 * stopped; the copies' ciphertexts are bound to the original's name, so only the probes (real
 * secrets) are read back. Then: projection rebuild into the stack's SQLite (in place) and into a
 * PostgreSQL schema, the projector restarted on the rebuilt model, list first/next page and get
 * latency against the same figures on the small vault, the vault's and projector's RSS before and
 * after, and one scheduler scan (commands recorded, not sent) over the million.
 */
export async function runScaleBench(opts: BenchOptions): Promise<boolean> {
  const objects = opts.objects ?? SCALE_OBJECTS;
  progress(`starting a Coffer stack (SQLite read model) for ${objects.toLocaleString('en-US')} secrets`);
  const stack = await startCofferStack({ readyTimeoutMs: 120_000 });
  try {
    return await measure(stack, opts, objects);
  } finally {
    await stack.stop();
  }
}

interface ReadFigures {
  get: LoadResult;
  listFirst: LoadResult;
  listNext: LoadResult;
  vaultRss: number;
  projectorRss: number;
}

async function measure(stack: CofferStack, opts: BenchOptions, objects: number): Promise<boolean> {
  const rss = sampleRss(() => stack.rss(), 250);
  const load: LoadOptions = { concurrency: READ_IN_FLIGHT, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds };
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  let client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-scale', credentials: admin, timeoutMs: 60_000 });
  const lines: string[] = [];
  const results: LoadResult[] = [];
  let small: ReadFigures;
  let big: ReadFigures;
  let seeded: { events: number; seconds: number };
  let sqliteRebuild: { events: number; seconds: number };
  let pgRebuild: { events: number; seconds: number } | undefined;
  let scan: { objects: number; actions: number; seconds: number };
  try {
    await client.vaults.create(VAULT);
    const secrets = client.secrets(VAULT);
    // Inside the scheduler's near-expiry window, so its scan has work for every copy too.
    const expiresOn = new Date(Date.now() + 10 * 86_400_000);
    const value = randomBytes(48).toString('base64');
    for (let i = 0; i < PROBES; i++) await secrets.set(probeName(i), value, { expiresOn });

    progress('small vault: get, list first page, list next page');
    small = await readFigures(stack, secrets, load, 'small');

    // The stack's own scheduler would send a notice for every copy (all near expiry) and the vault
    // would write them while the reads are measured: it stays stopped; its scan is timed below.
    progress('stopping the scheduler and the projector; appending the bulk straight to COFFER_EVENTS');
    await stack.kill('scheduler');
    await stack.kill('projector');
    seeded = await seedSecrets(stack.adminUrl, objects);
    progress(`seeded (this process: ${mib(process.memoryUsage.rss())} MiB)`);
    lines.push(`seeded ${seeded.events.toLocaleString('en-US')} events in ${seeded.seconds.toFixed(1)} s (${rate(seeded.events, seeded.seconds)} events/s appended)`);

    progress('rebuild into the stack\'s SQLite read model (in place, projector stopped)');
    sqliteRebuild = await timedRebuild(stack.adminUrl, stack.dbUrl);
    progress(`SQLite rebuild: ${rate(sqliteRebuild.events, sqliteRebuild.seconds)} events/s (this process: ${mib(process.memoryUsage.rss())} MiB)`);
    if (await postgresAvailable()) {
      const schema = await createTestSchema();
      try {
        progress(`rebuild of the first ${PG_REBUILD_EVENTS.toLocaleString('en-US')} events into a PostgreSQL schema`);
        pgRebuild = await timedRebuild(stack.adminUrl, schema.url, PG_REBUILD_EVENTS);
        progress(`PostgreSQL rebuild: ${rate(pgRebuild.events, pgRebuild.seconds)} events/s`);
      } finally {
        await schema.drop();
      }
    }
    progress('restarting the projector on the rebuilt read model');
    await stack.start('projector');
    // The vault's caches (principal access, decision state) are short-lived; a fresh client all the same.
    await client.close();
    client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-scale', credentials: admin, timeoutMs: 60_000 });

    progress(`big vault (${objects.toLocaleString('en-US')} secrets): get, list first page, list next page`);
    big = await readFigures(stack, client.secrets(VAULT), load, 'big');

    progress('scheduler scan over the big vault (commands recorded, not sent)');
    scan = await timedScan(stack.dbUrl);
    progress(`scan: ${scan.objects.toLocaleString('en-US')} objects in ${scan.seconds.toFixed(1)} s (this process: ${mib(process.memoryUsage.rss())} MiB)`);
  } finally {
    rss.stop();
    await client.close();
  }
  results.push(small.get, small.listFirst, small.listNext, big.get, big.listFirst, big.listNext);

  const checks: Check[] = [
    check('rebuild SQLite events/s', sqliteRebuild.events / sqliteRebuild.seconds, '>=', SCALE_TARGETS.rebuildSqliteEventsPerSec),
    ...(pgRebuild ? [check('rebuild PostgreSQL events/s', pgRebuild.events / pgRebuild.seconds, '>=', SCALE_TARGETS.rebuildPostgresEventsPerSec)] : []),
    check('list first page p99 (big)', big.listFirst.p99Ms, '<=', SCALE_TARGETS.listP99Ms, 'ms'),
    check('list next page p99 (big)', big.listNext.p99Ms, '<=', SCALE_TARGETS.listP99Ms, 'ms'),
    check('get p99 big / small', big.get.p99Ms / small.get.p99Ms, '<=', 1.5),
    check('scheduler scan seconds', scan.seconds, '<=', SCALE_TARGETS.scanSeconds, 's'),
    check('peak RSS (stack)', rss.peak() / MiB, '<=', SCALE_TARGETS.peakRssMiB, 'MiB'),
  ];
  const passed = checks.every((c) => c.pass);
  const memory = [
    `  vault RSS      small ${mib(small.vaultRss)} MiB, big ${mib(big.vaultRss)} MiB (after each read phase)`,
    `  projector RSS  small ${mib(small.projectorRss)} MiB, big ${mib(big.projectorRss)} MiB`,
    `  stack peak ${mib(rss.peak())} MiB; this bench process ${mib(process.memoryUsage.rss())} MiB at the end`,
  ];
  if (opts.json) {
    const out = {
      benchmark: 'scale', objects, options: opts, seeded, sqliteRebuild, pgRebuild, scan, results,
      memory: { small: { vault: small.vaultRss, projector: small.projectorRss }, big: { vault: big.vaultRss, projector: big.projectorRss }, peakRssBytes: rss.peak() },
      checks, passed,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        '',
        `coffer bench scale (${objects.toLocaleString('en-US')} secrets, 1 in ${MANY_VERSIONS_EVERY} with ${MANY_VERSIONS} versions; reads ${opts.seconds} s each at ${READ_IN_FLIGHT} in flight)`,
        ...lines,
        `rebuild SQLite: ${sqliteRebuild.events.toLocaleString('en-US')} events in ${sqliteRebuild.seconds.toFixed(1)} s = ${rate(sqliteRebuild.events, sqliteRebuild.seconds)} events/s`,
        pgRebuild
          ? `rebuild PostgreSQL (first ${PG_REBUILD_EVENTS.toLocaleString('en-US')} events): ${pgRebuild.events.toLocaleString('en-US')} events in ${pgRebuild.seconds.toFixed(1)} s = ${rate(pgRebuild.events, pgRebuild.seconds)} events/s`
          : 'rebuild PostgreSQL: skipped (no PostgreSQL answers)',
        `scheduler scan: ${scan.objects.toLocaleString('en-US')} objects, ${scan.actions.toLocaleString('en-US')} actions in ${scan.seconds.toFixed(1)} s`,
        '',
        formatResults(results),
        '',
        'resident memory',
        ...memory,
        '',
        'targets',
        formatChecks(checks),
        '',
        `scale bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'),
    );
  }
  return passed;
}

const probeName = (i: number) => `probe-${String(i).padStart(3, '0')}`;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / MiB).toFixed(0);

async function readFigures(stack: CofferStack, secrets: SecretsClient, load: LoadOptions, label: string): Promise<ReadFigures> {
  const get = await runClosedLoop(`get (${label} vault)`, (i) => secrets.get(probeName(i % PROBES)), load);
  const listFirst = await runClosedLoop(`list first page (${label})`, () => secrets.listPage({ maxResults: 25 }), load);
  // Each worker walks on from where its last page ended (back to the start at the end): next pages from all over the list.
  const tokens = new Map<number, string | undefined>();
  let worker = 0;
  const listNext = await runClosedLoop(`list next page (${label})`, async () => {
    const w = worker++ % load.concurrency;
    const page = await secrets.listPage({ maxResults: 25, continuationToken: tokens.get(w) });
    tokens.set(w, page.continuationToken);
  }, load);
  progress(`${label} vault: get p99 ${get.p99Ms.toFixed(1)} ms (${Math.round(get.opsPerSec)}/s), list first p99 ${listFirst.p99Ms.toFixed(1)} ms, next p99 ${listNext.p99Ms.toFixed(1)} ms`);
  const pids = stack.pids();
  const rssOf = (pid: number | undefined) => (pid === undefined ? Number.NaN : rssOfProcessTree([pid]));
  return { get, listFirst, listNext, vaultRss: rssOf(pids.vault), projectorRss: rssOf(pids.projector) };
}

/**
 * Appends copies of a probe's SecretSet event for `objects` secrets as plain NATS publishes (the
 * stream stores what its subjects receive; a JetStream ack per message made seeding the slowest
 * part), flushed every few thousand, then waits until the stream holds them all.
 */
async function seedSecrets(adminUrl: string, objects: number): Promise<{ events: number; seconds: number }> {
  const nc = await connect({ ...natsClientOptions(adminUrl), name: 'coffer-bench-scale-seed' });
  try {
    const jsm = await nc.jetstreamManager();
    const before = (await jsm.streams.info(Streams.events.name)).state.messages;
    const last = await jsm.streams.getMessage(Streams.events.name, { last_by_subj: Streams.events.secret(VAULT, probeName(0)) });
    const template = JSON.parse(Buffer.from(last.data).toString()) as DomainEvent & { data: Record<string, unknown> };
    const prefix = randomBytes(4).toString('hex');
    let events = 0;
    const began = performance.now();
    let reported = began;
    for (let i = 0; i < objects; i++) {
      const name = `s-${String(i).padStart(7, '0')}`;
      const versions = i % MANY_VERSIONS_EVERY === 0 ? MANY_VERSIONS : 1;
      for (let v = 0; v < versions; v++) {
        // As the vault writes it, but with no check-and-set expectation (the copies never race).
        const { expectedSequence: _none, ...metadata } = template.metadata;
        const event = { ...template, data: { ...template.data, name, version: randomBytes(16).toString('hex') }, metadata: { ...metadata, requestId: `${prefix}-${events}` } };
        nc.publish(Streams.events.secret(VAULT, name), Buffer.from(JSON.stringify(event)));
        events++;
        if (events % SEED_FLUSH_EVERY === 0) await nc.flush();
      }
      if (performance.now() - reported > 10_000) {
        reported = performance.now();
        progress(`seeded ${events.toLocaleString('en-US')} events (${rate(events, (reported - began) / 1000)}/s)`);
      }
    }
    await nc.flush();
    for (;;) {
      const stored = (await jsm.streams.info(Streams.events.name)).state.messages - before;
      if (stored >= events) break;
      if (performance.now() - reported > 30_000) throw new Error(`the stream holds ${stored} of ${events} seeded events`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { events, seconds: (performance.now() - began) / 1000 };
  } finally {
    await nc.close();
  }
}

async function timedRebuild(adminUrl: string, dbUrl: string, untilSequence?: number): Promise<{ events: number; seconds: number }> {
  const began = performance.now();
  const r = await rebuildReadModel({ natsUrl: adminUrl, dbUrl, untilSequence });
  return { events: r.events, seconds: (performance.now() - began) / 1000 };
}

async function timedScan(dbUrl: string): Promise<{ objects: number; actions: number; seconds: number }> {
  const ds = await openReadModel(dbUrl, { migrate: false });
  try {
    let actions = 0;
    const scanner = new Scanner(new LifecycleQueries(ds), defaultRules(), { nearExpiryDays: 30, nearExpiryDaysByVault: {}, concurrency: 64 }, async () => {
      actions++;
    });
    const began = performance.now();
    const stats = await scanner.scan(Date.now());
    return { objects: stats.objects, actions, seconds: (performance.now() - began) / 1000 };
  } finally {
    await ds.destroy();
  }
}
