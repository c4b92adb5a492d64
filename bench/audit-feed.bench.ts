import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CofferClient } from '@coffer/client';
import { AuditRecord, AuditStreams } from '@coffer/contracts';
import { decodeAuditMessage, encodeAuditBatch } from '@coffer/audit';
import { connectTo, sampleRss, startCofferStack } from '@coffer/testing';
import { consumerOpts } from 'nats';
import { BenchOptions } from './bench-options';
import { check, Check, formatChecks, MiB, progress } from './report';
import { summarizeLatencies } from './stats';

/** What the audit feed must reach, against a raw JetStream consumer of COFFER_AUDIT in the same run. */
export const AUDIT_FEED_TARGETS = { ratioToRawConsumer: 0.2, peakRssMiB: 2048 } as const;

const RECORDS = 200_000;
/** Records per stream message, as the vault's group commit writes them under load. */
const BATCH = 512;
const PAGE_RECORDS = 1000;

const record = (i: number): AuditRecord => ({
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(), requestId: `req-${i.toString(36)}`, principal: `p-${(i % 97).toString(16).padStart(16, '0')}`,
  action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', objectId: `/vaults/bench/secrets/s${i % 1000}`, outcome: 'succeeded',
  subject: 'coffer.v1.vault.bench.secret.get',
});

/**
 * `bench audit-feed`: a whole stack (its audit app chains what arrives, signs checkpoints); a trail
 * of 200 000 records published to COFFER_AUDIT in the vault's batch format and chained by the audit
 * app; then, in the same run, a raw ordered JetStream consumer reading and decoding the stream (no
 * verification: the ceiling), and the audit feed through the vault as the administrator, 1000
 * records a page, every page verified by the SDK (signature, links, record hashes, checkpoints).
 */
export async function runAuditFeedBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack (nats-server and every Coffer app)');
  const stack = await startCofferStack({ env: { COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '1000' } });
  const rss = sampleRss(() => stack.rss() + process.memoryUsage().rss, 100);
  const nc = await connectTo(stack.adminUrl);
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench', credentials: admin });
  try {
    progress(`publishing ${RECORDS.toLocaleString('en-US')} audit records (${BATCH} per message); the audit app chains them`);
    const js = nc.jetstream();
    const target = (await client.audit.feedPage({ from: 'now' })).head + RECORDS;
    for (let first = 0; first < RECORDS; first += BATCH) {
      const records = Array.from({ length: Math.min(BATCH, RECORDS - first) }, (_, k) => JSON.stringify(record(first + k)));
      await js.publish(AuditStreams.records.subject('bench'), encodeAuditBatch(records));
    }
    const lastSeq = (await (await nc.jetstreamManager()).streams.info(AuditStreams.records.name)).state.last_seq;
    for (;;) {
      const page = await client.audit.feedPage({ from: 'now' });
      if (page.head >= target) break;
      await new Promise((r) => setTimeout(r, 200)); // the chain catching up (a bench, not a test)
    }

    progress('raw JetStream consumer (ordered, decoding every message)');
    let raw = 0;
    const rawStart = performance.now();
    const sub = await js.subscribe(AuditStreams.records.subjects[0], consumerOpts().orderedConsumer().startSequence(1));
    for await (const m of sub) {
      raw += decodeAuditMessage(m.data).length;
      if (m.seq >= lastSeq) break;
    }
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const rawRate = raw / rawSeconds;

    progress(`audit feed through the vault, ${PAGE_RECORDS} records a page, verified`);
    const latencies: number[] = [];
    const fetchPage = client.audit.feedPage.bind(client.audit);
    client.audit.feedPage = async (o) => {
      const t = performance.now();
      const page = await fetchPage(o);
      latencies.push(performance.now() - t);
      return page;
    };
    let fed = 0;
    let checkpoints = 0;
    const feedStart = performance.now();
    // The SDK's tail: pages verified as they come, the next one requested while one is verified.
    for await (const item of client.audit.tail({ follow: false, maxRecords: PAGE_RECORDS })) {
      if (item.kind === 'record') fed++;
      else checkpoints++;
      if (item.cursor.position > target) break;
    }
    const feedSeconds = (performance.now() - feedStart) / 1000;
    const feedRate = fed / feedSeconds;
    const pages = summarizeLatencies(latencies);
    const checks: Check[] = [
      check('raw consumer, records/s (ceiling)', rawRate, '>=', 0),
      check('audit feed (verified), records/s', feedRate, '>=', rawRate * AUDIT_FEED_TARGETS.ratioToRawConsumer),
      check('  ratio to the raw consumer', feedRate / rawRate, '>=', AUDIT_FEED_TARGETS.ratioToRawConsumer),
      check(`  page (${PAGE_RECORDS}) p50`, pages.p50Ms, '<=', Number.POSITIVE_INFINITY, 'ms'),
      check(`  page (${PAGE_RECORDS}) p99`, pages.p99Ms, '<=', Number.POSITIVE_INFINITY, 'ms'),
      check('checkpoints verified', checkpoints, '>=', 1),
      check('peak RSS (stack + bench)', rss.peak() / MiB, '<=', AUDIT_FEED_TARGETS.peakRssMiB, 'MiB'),
    ];
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ records: RECORDS, raw: { records: raw, seconds: rawSeconds, recordsPerSec: rawRate }, feed: { records: fed, seconds: feedSeconds, recordsPerSec: feedRate, pages: latencies.length, ...pages }, checks }, null, 2)}\n`);
    } else {
      process.stdout.write(`audit feed on ${RECORDS.toLocaleString('en-US')} records\n${formatChecks(checks)}\n`);
    }
    return checks.every((c) => c.pass);
  } finally {
    rss.stop();
    await client.close().catch(() => undefined);
    await nc.close().catch(() => undefined);
    await stack.stop();
  }
}
