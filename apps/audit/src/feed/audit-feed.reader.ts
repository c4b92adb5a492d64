import {
  AuditCheckpoint, auditFeedPagePayload, AuthSubjects, AuditFeedLimits, AuditRecord, auditRecordVault, FetchAuditFeedReply, FetchAuditFeedRequest, GENESIS_HASH,
} from '@coffer/contracts';
import { ChainRow } from '@coffer/audit';
import { sqlRunner, SqlRunner, statementSet } from '@coffer/sql';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditSigner } from '../audit-signer';
import { auditCheckpointsTable, auditRecordsTable } from '../db/audit-tables';
import { rowToRecord } from '../db/audit-store';
import { buildAuditFeedPage } from './audit-feed-page';

const statementsFor = statementSet((d) => {
  const records = d.table(auditRecordsTable.name);
  const checkpoints = d.table(auditCheckpointsTable.name);
  return {
    // The position index (unique) serves both.
    rowsFrom: `SELECT * FROM ${records} WHERE "position" >= ? ORDER BY "position" LIMIT ?`,
    hashAt: `SELECT "hash" FROM ${records} WHERE "position" = ?`,
    timeAt: `SELECT "time" FROM ${records} WHERE "position" = ?`,
    timesBetween: `SELECT "position", "time" FROM ${records} WHERE "position" >= ? AND "position" < ? ORDER BY "position"`,
    checkpointsBetween: `SELECT * FROM ${checkpoints} WHERE "sequence" >= ? AND "sequence" <= ? ORDER BY "sequence"`,
  };
});

/** What the feed needs from the chain: where its head is, and a way to wait for it to move. */
export interface ChainProgress {
  headPosition(): number;
  /** Resolves when the chain holds `position` (true) or after timeoutMs (false). */
  reached(position: number, timeoutMs: number): Promise<boolean>;
}

/**
 * Serves feed pages from the stored chain (the audit app's database: what it hashed), signing each
 * non-empty page with the audit key. Read-only; the chain consumer is the only writer.
 */
export class AuditFeedReader {
  private readonly run: SqlRunner;
  private readonly s: ReturnType<typeof statementsFor>;

  constructor(ds: DataSource, private readonly chain: ChainProgress, private readonly signer: AuditSigner) {
    this.run = sqlRunner(ds);
    this.s = statementsFor(ds);
  }

  /**
   * One page. A long poll (`waitMs`) waits at the chain head until something the caller did not
   * cause by polling arrives: the successful feed reads of subscribers are audited like every
   * request, and waking on them would make each poll answer the one before it.
   */
  async page(req: FetchAuditFeedRequest): Promise<FetchAuditFeedReply> {
    const from = await this.startOf(req);
    const maxRecords = req.maxRecords ?? AuditFeedLimits.maxRecordsDefault;
    const deadline = Date.now() + (req.waitMs ?? 0);
    const visible = visibleTo(req);
    for (;;) {
      const head = this.chain.headPosition();
      // Without a scope or filter every row is a whole record: no more rows than records are needed.
      const scan = req.vault === undefined && req.principal === undefined && req.outcome === undefined ? maxRecords : AuditFeedLimits.maxScan;
      const [previous, rows] = await Promise.all([this.hashBefore(from), this.rowsFrom(from, scan)]);
      const checkpoints = rows.length === 0 ? [] : await this.checkpointsBetween(rows[0]!.seq, rows[rows.length - 1]!.seq);
      const { items, next } = buildAuditFeedPage({ from, previous: previous ?? GENESIS_HASH, rows: previous === undefined ? [] : rows, checkpoints, visible, maxRecords });
      const atHead = rows.length < scan;
      const news = items.some((i) => i.kind === 'record' && !isFeedPoll(i.record));
      const left = deadline - Date.now();
      if (news || !atHead || left <= 0) return this.signed({ from, next, head, items, keyId: this.signer.keyId, jwk: {} }, req);
      await this.chain.reached(Math.max(next, head + 1), left);
    }
  }

  private async signed(page: FetchAuditFeedReply, req: FetchAuditFeedRequest): Promise<FetchAuditFeedReply> {
    const withKey = { ...page, jwk: (await this.signer.publicJwk()) as Record<string, unknown> };
    if (page.items.length === 0) return withKey;
    const payload = auditFeedPagePayload(withKey, req);
    const signature = (await this.signer.sign(createHash('sha256').update(payload, 'utf8').digest())).toString('base64');
    return { ...withKey, signature };
  }

  private async startOf(req: FetchAuditFeedRequest): Promise<number> {
    if (req.fromPosition !== undefined) return req.fromPosition;
    if (req.fromNow) return this.chain.headPosition() + 1;
    if (req.fromTime !== undefined) return this.positionAt(new Date(req.fromTime).toISOString());
    return 1;
  }

  /**
   * The first position whose record time is at or after `time`, by binary search over the position
   * index (a few point reads, never a scan: any reader may ask), then the earliest such record in the
   * window before it. A record's time is when its request began and its position when the request
   * ended (a long poll's record comes after quicker ones that began later): the window catches those.
   */
  private async positionAt(time: string): Promise<number> {
    let lo = 1;
    let hi = this.chain.headPosition() + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [row] = await this.run(this.s.timeAt, [mid]);
      if (row !== undefined && String(row.time) >= time) hi = mid;
      else lo = mid + 1;
    }
    const window = await this.run(this.s.timesBetween, [Math.max(1, lo - AuditFeedLimits.maxScan), lo]);
    return Number(window.find((r) => String(r.time) >= time)?.position ?? lo);
  }

  /** hash_{from-1}; undefined when the chain does not hold from-1 yet (a cursor past the head). */
  private async hashBefore(from: number): Promise<string | undefined> {
    if (from === 1) return GENESIS_HASH;
    const [row] = await this.run(this.s.hashAt, [from - 1]);
    return row ? String(row.hash) : undefined;
  }

  private async rowsFrom(from: number, limit: number): Promise<ChainRow[]> {
    const rows = (await this.run(this.s.rowsFrom, [from, limit])).map(auditRecordsTable.row);
    return rows.map((r) => ({ seq: r.seq, index: r.idx, position: r.position, hash: r.hash, record: rowToRecord(r) }));
  }

  private async checkpointsBetween(firstSeq: number, lastSeq: number): Promise<AuditCheckpoint[]> {
    return (await this.run(this.s.checkpointsBetween, [firstSeq, lastSeq])).map(auditCheckpointsTable.row);
  }
}

/** A subscriber's own successful poll of the feed: delivered, but no reason to end a long poll. */
const isFeedPoll = (r: AuditRecord) => r.subject === AuthSubjects.audit('feed') && r.outcome === 'succeeded';

/** Whole records for the caller: its vault's only when vault-scoped, and those matching its filters. */
export function visibleTo(req: Pick<FetchAuditFeedRequest, 'vault' | 'principal' | 'outcome'>): (record: AuditRecord) => boolean {
  return (r) =>
    (req.vault === undefined || auditRecordVault(r) === req.vault)
    && (req.principal === undefined || r.principal === req.principal)
    && (req.outcome === undefined || r.outcome === req.outcome);
}
