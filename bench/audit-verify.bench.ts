import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@coffer/config';
import { AuditCheckpoint, AuditRecord, AuditStreams, AuditVerifyReply, verifyAllPages } from '@coffer/contracts';
import { chainHash, checkpointDigest, encodeAuditBatch, ensureAuditStreams, GENESIS_HASH } from '@coffer/audit';
import { connectTo, sampleRss, startNatsServer } from '@coffer/testing';
import { SoftwareSigner } from '../libs/audit/src/testing/software-signer';
import { openAuditDataSource } from '../apps/audit/src/db/audit-data-source';
import { AuditStore, recordToRow } from '../apps/audit/src/db/audit-store';
import { verifyStoredTrail } from '../apps/audit/src/verify/audit-verifier';
import { BenchOptions } from './bench-options';
import { check, Check, formatChecks, MiB, progress } from './report';

/** What verification must reach on a trail of TRAIL_RECORDS records. */
export const AUDIT_VERIFY_TARGETS = {
  /** Full verification (stream re-read, chain rows, every checkpoint), records per second. */
  fullRecordsPerSec: 10_000,
  /** Resumed from the signed checkpoint half-way, records per second of what is left. */
  resumedRecordsPerSec: 10_000,
  peakRssMiB: 1024,
} as const;

const TRAIL_RECORDS = 1_000_000;
/** Records per stream message, as the vault's group commit writes them under load. */
const BATCH = 512;
const CHECKPOINT_EVERY = 100 * BATCH;

const record = (i: number): AuditRecord => ({
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(), requestId: `req-${i.toString(36)}`, principal: `p-${(i % 97).toString(16).padStart(16, '0')}`,
  action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', objectId: `/vaults/bench/secrets/s${i % 1000}`, version: `${(i % 13).toString(16).padStart(32, '0')}`,
  outcome: 'succeeded', subject: 'coffer.v1.vault.bench.secret.get',
});

/**
 * `bench audit-verify`: builds a trail of 1M records the way the system does (the vault's batches
 * published to COFFER_AUDIT; the audit app's chain rows and signed checkpoints written with its own
 * store and hash function, directly rather than through its consumer, to build fast), then measures
 * paged verification (the audit app's verifier, in process) from the genesis and resumed from the
 * signed checkpoint half-way.
 */
export async function runAuditVerifyBench(opts: BenchOptions): Promise<boolean> {
  const nats = await startNatsServer();
  const home = mkdtempSync(join(tmpdir(), 'coffer-bench-audit-'));
  const config = loadConfig({ COFFER_HOME: home });
  const nc = await connectTo(nats.url);
  const ds = await openAuditDataSource(`sqlite:${join(home, 'audit.sqlite')}`);
  const rss = sampleRss(() => process.memoryUsage().rss, 100);
  try {
    const jsm = await nc.jetstreamManager();
    await ensureAuditStreams(jsm, config.audit);
    const js = nc.jetstream();
    const store = new AuditStore(ds);
    const signer = new SoftwareSigner();
    progress(`building a trail of ${TRAIL_RECORDS.toLocaleString('en-US')} records (${BATCH} per message, a signed checkpoint every ${CHECKPOINT_EVERY})`);
    const t0 = performance.now();
    let hash = GENESIS_HASH;
    let position = 0;
    let half: AuditCheckpoint | undefined;
    for (let first = 0; first < TRAIL_RECORDS; first += BATCH) {
      const records = Array.from({ length: Math.min(BATCH, TRAIL_RECORDS - first) }, (_, k) => record(first + k));
      const ack = await js.publish(AuditStreams.records.subject('bench'), encodeAuditBatch(records.map((r) => JSON.stringify(r))));
      const rows = records.map((r, index) => {
        hash = chainHash(hash, ack.seq, index, r);
        return recordToRow(ack.seq, index, ++position, r, hash);
      });
      await store.append(rows);
      if (position % CHECKPOINT_EVERY === 0 || position === TRAIL_RECORDS) {
        const unsigned = { sequence: ack.seq, count: position, head: hash, time: new Date().toISOString(), keyId: signer.keyId };
        const c = { ...unsigned, signature: (await signer.sign(checkpointDigest(unsigned))).toString('base64') };
        await js.publish(AuditStreams.checkpoints.subject, JSON.stringify(c));
        await store.saveCheckpoint(c);
        if (!half && position >= TRAIL_RECORDS / 2) half = c;
      }
    }
    progress(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s; verifying from the genesis`);
    const deps = { nc, jsm, store, signer };
    const timed = async (first: { fromCheckpoint?: string }) => {
      const start = performance.now();
      let pages = 0;
      const reply = await verifyAllPages((page) => verifyStoredTrail(deps, page), first, (_p, total: AuditVerifyReply) => {
        if (++pages % 5 === 0) progress(`  ${total.checkedRecords.toLocaleString('en-US')} records verified`);
      });
      return { reply, seconds: (performance.now() - start) / 1000, pages };
    };
    const full = await timed({});
    progress(`full: ${full.reply.checkedRecords} records in ${full.seconds.toFixed(1)} s (${full.pages} pages); resuming from checkpoint ${half!.sequence}`);
    const resumed = await timed({ fromCheckpoint: String(half!.sequence) });
    const fullRate = full.reply.checkedRecords / full.seconds;
    const resumedRate = resumed.reply.checkedRecords / resumed.seconds;
    const checks: Check[] = [
      check('full verification clean', full.reply.ok && full.reply.checkedRecords === TRAIL_RECORDS ? 1 : 0, '>=', 1),
      check('resumed verification clean', resumed.reply.ok && resumed.reply.checkedRecords === TRAIL_RECORDS - half!.count ? 1 : 0, '>=', 1),
      check('full verify, records/s', fullRate, '>=', AUDIT_VERIFY_TARGETS.fullRecordsPerSec),
      check(`  (${full.seconds.toFixed(1)} s for ${TRAIL_RECORDS} records)`, full.seconds, '<=', TRAIL_RECORDS / AUDIT_VERIFY_TARGETS.fullRecordsPerSec, 's'),
      check('resumed verify, records/s', resumedRate, '>=', AUDIT_VERIFY_TARGETS.resumedRecordsPerSec),
      check('peak RSS (bench process)', rss.peak() / MiB, '<=', AUDIT_VERIFY_TARGETS.peakRssMiB, 'MiB'),
    ];
    const ratio = (c: Check) => (c.comparison === '>=' ? c.actual / c.limit : c.limit / c.actual);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ records: TRAIL_RECORDS, full: { ...full, reply: undefined, recordsPerSec: fullRate }, resumed: { ...resumed, reply: undefined, recordsPerSec: resumedRate }, checks }, null, 2)}\n`);
    } else {
      process.stdout.write(`audit verify on ${TRAIL_RECORDS.toLocaleString('en-US')} records\n${formatChecks(checks)}\n`);
      process.stdout.write(`ratios to target: ${checks.slice(2).map((c) => `${c.name.trim()} ${ratio(c).toFixed(2)}`).join('; ')}\n`);
    }
    return checks.every((c) => c.pass);
  } finally {
    rss.stop();
    await ds.destroy().catch(() => undefined);
    await nc.close().catch(() => undefined);
    await nats.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
