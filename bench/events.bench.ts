import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CofferStack, sampleRss, startCofferStack } from '@coffer/testing';
import { DeliverPolicy, StorageType } from 'nats';
import { BenchOptions } from './bench-options';
import { connectLikeTheSdk } from './ceilings';
import { LoadResult, runClosedLoop } from './closed-loop';
import { check, Check, formatChecks, formatResults, MiB, progress } from './report';
import { summarizeLatencies } from './stats';
import { measureSchedulerScan } from './scheduler-scan';

/** What the change feed must reach, against raw JetStream consumption measured in the same run. */
export const EVENTS_TARGETS = {
  /** The feed reads the log and maps every event: at least this share of a raw consumer's rate. */
  deliveryVsRawConsume: 0.1,
  /** A subscriber sees a write this soon after it was sent (p99), while writes keep coming. */
  endToEndP99Ms: 250,
  peakRssMiB: 1.2 * 1024,
  /** One scheduler scan over 100k objects (read model on SQLite). */
  schedulerScanMaxMs: 10_000,
} as const;

const VAULT = 'bench-events';
const BACKLOG = 5_000;
const SCRATCH_STREAM = 'BENCH_CONSUME';
const RSS_SAMPLE_MS = 100;

/** `bench events`: change-feed delivery rate and write → subscriber latency, with raw JetStream consumption. */
export async function runEventsBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack (nats-server, crypto-worker, projector, audit, vault)');
  const stack = await startCofferStack();
  try {
    return await measure(stack, opts);
  } finally {
    await stack.stop();
  }
}

async function measure(stack: CofferStack, opts: BenchOptions): Promise<boolean> {
  const rss = sampleRss(() => stack.rss(), RSS_SAMPLE_MS);
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-events', credentials: admin, timeoutMs: 60_000 });
  let raw: LoadResult;
  let delivery: LoadResult;
  let endToEnd: LoadResult;
  try {
    progress(`raw JetStream consumption of ${BACKLOG} stored messages (ordered consumer)`);
    raw = await measureRawConsume(stack.adminUrl, BACKLOG);

    await client.vaults.create(VAULT);
    const secrets = client.secrets(VAULT);
    progress(`writing a backlog of ${BACKLOG} secret versions`);
    const start = (await client.changes.fetch({ vault: VAULT, from: 'now' })).next;
    await runBacklog(BACKLOG, (i) => secrets.set(`backlog-${i % 64}`, 'x'));
    progress('change feed: reading the backlog from its cursor');
    delivery = await measureDelivery(client, start);

    progress(`change feed: write → subscriber latency, 16 writers for ${opts.seconds} s`);
    endToEnd = await measureEndToEnd(client, opts);
  } finally {
    rss.stop();
    await client.close();
  }
  progress('scheduler: one scan over 100k seeded secrets (scratch SQLite read model)');
  const scan = await measureSchedulerScan();
  const results = [raw, delivery, endToEnd, scan];
  const checks: Check[] = [
    check('feed delivery / raw consume', delivery.opsPerSec / raw.opsPerSec, '>=', EVENTS_TARGETS.deliveryVsRawConsume),
    check('write → subscriber p99', endToEnd.p99Ms, '<=', EVENTS_TARGETS.endToEndP99Ms, 'ms'),
    check('peak RSS', rss.peak() / MiB, '<=', EVENTS_TARGETS.peakRssMiB, 'MiB'),
    check('scheduler scan, 100k objects', scan.seconds * 1000, '<=', EVENTS_TARGETS.schedulerScanMaxMs, 'ms'),
  ];
  const passed = checks.every((c) => c.pass);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ benchmark: 'events', options: opts, results, peakRssBytes: rss.peak(), checks, passed }, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        '',
        `coffer bench events (backlog ${BACKLOG}; end to end ${opts.seconds} s after ${opts.warmupSeconds} s warm-up; one stack)`,
        formatResults(results),
        '',
        'targets',
        formatChecks(checks),
        '',
        `events bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'),
    );
  }
  return passed;
}

/** Ceiling: an ordered consumer reading `count` stored messages of about an event's size. */
async function measureRawConsume(url: string, count: number): Promise<LoadResult> {
  const nc = await connectLikeTheSdk(url, 'coffer-bench-consume');
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  await jsm.streams.delete(SCRATCH_STREAM).catch(() => false);
  await jsm.streams.add({ name: SCRATCH_STREAM, subjects: ['bench.consume.>'], storage: StorageType.File });
  try {
    const payload = Buffer.alloc(600, 'x');
    for (let i = 0; i < count; i += 256) {
      await Promise.all(Array.from({ length: Math.min(256, count - i) }, (_, k) => js.publish(`bench.consume.${(i + k) % 64}`, payload)));
    }
    // nats.js 2.29's ordered consumer with DeliverPolicy.All never delivers on nats-server 2.9; a start sequence does.
    const consumer = await js.consumers.get(SCRATCH_STREAM, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 1 });
    const began = performance.now();
    const messages = await consumer.consume({ max_messages: 1024 });
    let seen = 0;
    for await (const m of messages) {
      if (++seen >= count || m.info.pending === 0) break;
    }
    messages.stop();
    const seconds = (performance.now() - began) / 1000;
    return rateResult('raw JetStream consume', seen, seconds);
  } finally {
    await jsm.streams.delete(SCRATCH_STREAM).catch(() => false);
    await nc.close();
  }
}

async function runBacklog(count: number, write: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < count) await write(next++);
  }));
}

/** The feed's own paging (256 events a page) over a stored backlog. */
async function measureDelivery(client: CofferClient, from: number): Promise<LoadResult> {
  const began = performance.now();
  let seen = 0;
  let cursor = from;
  while (seen < BACKLOG) {
    const page = await client.changes.fetch({ vault: VAULT, from: { sequence: cursor }, types: ['SecretNewVersionCreated'], maxEvents: 256 });
    if (page.next === cursor) break;
    seen += page.events.length;
    cursor = page.next;
  }
  return rateResult('change feed delivery', seen, (performance.now() - began) / 1000);
}

/** Writers set secrets; a subscriber following the feed timestamps each new version's arrival. */
async function measureEndToEnd(client: CofferClient, opts: BenchOptions): Promise<LoadResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const subscription = client.changes.subscribe({ vault: VAULT, from: 'now', types: ['SecretNewVersionCreated'], waitMs: 5_000, maxEvents: 256 });
  const pending = new Map<string, number>();
  const subscriber = (async () => {
    for await (const change of subscription) {
      const version = change.event.data.Version!;
      const sent = sentAt.get(version);
      if (sent === undefined) pending.set(version, performance.now());
      else latencies.push(performance.now() - sent);
      change.ack();
    }
  })();
  const secrets = client.secrets(VAULT);
  const writes = await runClosedLoop('write (secret set)', async (i) => {
    const t0 = performance.now();
    const bundle = await secrets.set(`live-${i % 256}`, 'x');
    // The subscriber may see the change before the writer sees its reply.
    const arrived = pending.get(bundle.version);
    if (arrived !== undefined) latencies.push(arrived - t0);
    else sentAt.set(bundle.version, t0);
  }, { concurrency: 16, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds });
  await new Promise((r) => setTimeout(r, 1000));
  subscription.stop();
  await subscriber;
  // ops/s: the write rate the feed kept up with; latencies: send → seen by the subscriber.
  return { ...writes, name: 'write → subscriber', ...summarizeLatencies(latencies) };
}

function rateResult(name: string, ops: number, seconds: number): LoadResult {
  return { name, concurrency: 1, seconds, ops, opsPerSec: ops / seconds, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, errors: 0 };
}
