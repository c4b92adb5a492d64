import { AuditCheckpoint, AuditRecord, AuditOutcome, badParameter, DataActions, Limits, ObjectUsage } from '@coffer/contracts';
import { AuditQueryReply, ChainRow, GENESIS_HASH } from '@coffer/audit';
import { dialectOf, marks, numbered, preparedStatements, SqlDialect, SqliteHandle, sqliteHandle, SqlRunner, sqlRunner, statementSet } from '@coffer/sql';
import { DataSource, QueryRunner } from 'typeorm';
import { auditCheckpointsTable, AuditRecordRow, auditRecordsTable } from './audit-tables';

/** The last chained record: always the last of its message (whole messages are chained at once). */
export interface ChainHead {
  seq: number;
  position: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, position: 0, hash: GENESIS_HASH };

export interface AuditQuery {
  principal?: string;
  objectId?: string;
  action?: string;
  outcome?: string;
  since?: string;
  until?: string;
  maxResults?: number;
  continuationToken?: string;
}

export function rowToRecord(r: AuditRecordRow): AuditRecord {
  return {
    time: r.time, requestId: r.requestId, principal: r.principal, action: r.action, objectId: r.objectId,
    ...(r.version !== null ? { version: r.version } : {}),
    outcome: r.outcome as AuditOutcome,
    ...(r.errorCode !== null ? { errorCode: r.errorCode } : {}),
    subject: r.subject,
    ...(r.count !== null && r.count !== undefined ? { count: r.count } : {}),
    ...(r.lastTime !== null && r.lastTime !== undefined ? { lastTime: r.lastTime } : {}),
  };
}

export function recordToRow(seq: number, idx: number, position: number, record: AuditRecord, hash: string): AuditRecordRow {
  return {
    seq, idx, position, time: record.time, requestId: record.requestId, principal: record.principal ?? null, action: record.action,
    objectId: record.objectId, version: record.version ?? null, outcome: record.outcome, errorCode: record.errorCode ?? null,
    subject: record.subject, hash, count: record.count ?? null, lastTime: record.lastTime ?? null,
  };
}

const COLUMNS = auditRecordsTable.columnNames;
const CHECKPOINT_COLUMNS = auditCheckpointsTable.columnNames;
const PG_INSERT_ROWS = 1000;

/** Chain order is (stream sequence, index within the message). */
const statementsFor = statementSet((d) => {
  const records = d.table(auditRecordsTable.name);
  const checkpoints = d.table(auditCheckpointsTable.name);
  return {
    insertRecord: auditRecordsTable.insert(d),
    insertCheckpoint: `${auditCheckpointsTable.insert(d)} ON CONFLICT ("sequence") DO NOTHING`,
    head: `SELECT * FROM ${records} ORDER BY "seq" DESC, "idx" DESC LIMIT 1`,
    headBefore: `SELECT * FROM ${records} WHERE "seq" < ? ORDER BY "seq" DESC, "idx" DESC LIMIT 1`,
    rowsAfter: `SELECT * FROM ${records} WHERE "seq" > ? ORDER BY "seq", "idx"`,
    rowsBetween: `SELECT * FROM ${records} WHERE "seq" > ? AND "seq" <= ? ORDER BY "seq", "idx"`,
    nthRowAfter: `SELECT * FROM ${records} WHERE "seq" > ? ORDER BY "seq", "idx" LIMIT 1 OFFSET ?`,
    lastCheckpoint: `SELECT * FROM ${checkpoints} ORDER BY "sequence" DESC LIMIT 1`,
    checkpoints: `SELECT * FROM ${checkpoints} ORDER BY "sequence"`,
    // The chain position orders records like (sequence, index) and is one column.
    readsByVersion: `SELECT "version", COUNT(*) AS "reads", MAX("position") AS "last" FROM ${records}
      WHERE "objectId" = ? AND "action" = ? AND "outcome" = ? GROUP BY "version"`,
  };
});

/** The chain database reached COFFER_AUDIT_DB_MAX_BYTES (or SQLite's max_page_count refused a write). */
export class AuditStoreFullError extends Error {
  override readonly name = 'AuditStoreFullError';
}

const isSqliteFull = (err: unknown) => (err as { code?: string } | undefined)?.code === 'SQLITE_FULL';

/** Keyset position of a query page: the last (sequence, index) returned; tokens from before group commit carry no index (0). */
const encodeToken = (seq: number, idx: number) => Buffer.from(JSON.stringify({ a: seq, i: idx })).toString('base64url');
function decodeToken(token: string | undefined): { seq: number; idx: number } | undefined {
  if (token === undefined) return undefined;
  try {
    const { a, i = 0 } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a: unknown; i?: unknown };
    if (Number.isSafeInteger(a) && Number.isSafeInteger(i)) return { seq: a as number, idx: i as number };
  } catch {
    /* fall through */
  }
  throw badParameter('continuationToken is invalid.');
}

/** ISO 8601 in any offset → the vault's form (UTC, toISOString), so string comparison orders by time. */
function isoUtc(value: string, field: string): string {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw badParameter(`${field} is not a valid time.`);
  return t.toISOString();
}

const toChainRow = (r: AuditRecordRow): ChainRow => ({ seq: r.seq, index: r.idx, position: r.position, hash: r.hash, record: rowToRecord(r) });

/** The audit app's tables: chained records and signed checkpoints. */
export class AuditStore {
  private readonly sql: SqlDialect;
  private readonly s: ReturnType<typeof statementsFor>;
  private readonly run: SqlRunner;

  constructor(readonly ds: DataSource) {
    this.sql = dialectOf(ds);
    this.s = statementsFor(ds);
    this.run = sqlRunner(ds);
  }

  private async records(statement: string, params: unknown[]): Promise<AuditRecordRow[]> {
    return (await this.run(statement, params)).map(auditRecordsTable.row);
  }

  async head(): Promise<ChainHead> {
    const [row] = await this.records(this.s.head, []);
    return row ? { seq: row.seq, position: row.position, hash: row.hash } : GENESIS_HEAD;
  }

  /** The last chain row before the message at `seq` (verification anchor), or the genesis. */
  async headBefore(seq: number): Promise<ChainHead> {
    const [row] = await this.records(this.s.headBefore, [seq]);
    return row ? { seq: row.seq, position: row.position, hash: row.hash } : GENESIS_HEAD;
  }

  /**
   * Appends rows in one transaction. Writes (appends and checkpoint saves) are serialised: one at a
   * time, each a whole transaction on the writer connection (better-sqlite3's own synchronous
   * transaction on SQLite, so nothing can interleave with it; a dedicated queryRunner on
   * PostgreSQL), and a failed transaction is rolled back before the next write starts.
   */
  append(rows: AuditRecordRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.write(
      (db) => {
        const insert = preparedStatements(db)(this.s.insertRecord);
        for (const r of rows) insert.run(...COLUMNS.map((c) => r[c]));
      },
      async (qr) => {
        // Multi-row inserts: one round trip per chunk (PostgreSQL allows 65,535 parameters a statement).
        for (let i = 0; i < rows.length; i += PG_INSERT_ROWS) {
          const chunk = rows.slice(i, i + PG_INSERT_ROWS);
          await qr.query(this.insertSql(chunk.length), chunk.flatMap((r) => COLUMNS.map((c) => r[c])));
        }
      },
    );
  }

  saveCheckpoint(c: AuditCheckpoint): Promise<void> {
    const values = CHECKPOINT_COLUMNS.map((k) => c[k]);
    return this.write(
      (db) => {
        preparedStatements(db)(this.s.insertCheckpoint).run(...values);
      },
      async (qr) => {
        await qr.query(this.s.insertCheckpoint, values);
      },
    );
  }

  /** Size of the chain database in bytes (SQLite: the main file's pages; PostgreSQL: the two tables with their indexes). */
  async sizeBytes(): Promise<number> {
    const db = sqliteHandle(this.ds);
    if (db) return Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
    const rows = (await this.ds.query(
      `SELECT COALESCE(pg_total_relation_size(to_regclass($1)), 0) + COALESCE(pg_total_relation_size(to_regclass($2)), 0) AS size`,
      [this.sql.table(auditRecordsTable.name), this.sql.table(auditCheckpointsTable.name)],
    )) as { size: string | number }[];
    return Number(rows[0]?.size ?? 0);
  }

  /**
   * SQLite: a hard cap on the file (max_page_count), a little above the soft limit the chain checks
   * before each batch, so a runaway write gets SQLITE_FULL rather than filling the disk.
   */
  capSize(maxBytes: number): void {
    const db = sqliteHandle(this.ds);
    if (!db) return;
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`max_page_count = ${Math.ceil((maxBytes * 1.1) / pageSize) + 64}`);
  }

  /** Releases the PostgreSQL writer connection. */
  async close(): Promise<void> {
    await this.writes;
    await this.writer?.release().catch(() => undefined);
    this.writer = undefined;
  }

  private writes: Promise<unknown> = Promise.resolve();
  private writer?: QueryRunner;

  private write(onSqlite: (db: SqliteHandle) => void, onPostgres: (qr: QueryRunner) => Promise<void>): Promise<void> {
    const run = async () => {
      const db = sqliteHandle(this.ds);
      if (db) return this.sqliteTransaction(db, onSqlite);
      return this.postgresTransaction(onPostgres);
    };
    const result = this.writes.then(run, run);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private sqliteTransaction(db: SqliteHandle, body: (db: SqliteHandle) => void): void {
    try {
      db.transaction(() => body(db))();
    } catch (err) {
      // better-sqlite3 rolls back when the body throws; SQLite itself may already have (SQLITE_FULL).
      // Never leave a transaction open for the next write, whatever happened.
      if (db.inTransaction) db.exec('ROLLBACK');
      if (isSqliteFull(err)) throw new AuditStoreFullError('the audit database reached its size limit');
      throw err;
    }
  }

  private async postgresTransaction(body: (qr: QueryRunner) => Promise<void>): Promise<void> {
    this.writer ??= this.ds.createQueryRunner('master');
    const qr = this.writer;
    try {
      await qr.startTransaction();
      await body(qr);
      await qr.commitTransaction();
    } catch (err) {
      try {
        await qr.rollbackTransaction();
      } catch {
        /* the connection is unusable: dropped below */
      }
      if (qr.isTransactionActive || qr.isReleased) {
        this.writer = undefined;
        await qr.release().catch(() => undefined);
      }
      throw err;
    }
  }

  /** A multi-row INSERT of audit records (PostgreSQL: one round trip per chunk). */
  private insertSql(rowCount: number): string {
    const values = Array.from({ length: rowCount }, () => `(${marks(COLUMNS.length)})`).join(', ');
    return numbered(`INSERT INTO ${this.sql.table(auditRecordsTable.name)} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`);
  }

  /** Chain rows with afterSeq < seq <= upToSeq (all after afterSeq without upToSeq), in chain order. */
  async rowsAfter(afterSeq: number, upToSeq?: number): Promise<ChainRow[]> {
    const rows = upToSeq === undefined ? await this.records(this.s.rowsAfter, [afterSeq]) : await this.records(this.s.rowsBetween, [afterSeq, upToSeq]);
    return rows.map(toChainRow);
  }

  /** The n-th chain row after afterSeq (1-based), or undefined: bounds a verification window by rows. */
  async nthRowAfter(afterSeq: number, n: number): Promise<ChainRow | undefined> {
    const [row] = await this.records(this.s.nthRowAfter, [afterSeq, n - 1]);
    return row ? toChainRow(row) : undefined;
  }

  async lastCheckpoint(): Promise<AuditCheckpoint | null> {
    const [row] = await this.run(this.s.lastCheckpoint, []);
    return row ? auditCheckpointsTable.row(row) : null;
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    return (await this.run(this.s.checkpoints, [])).map(auditCheckpointsTable.row);
  }


  /** Filtered, newest first, keyset-paged by (stream sequence, index). */
  async query(q: AuditQuery): Promise<AuditQueryReply> {
    const limit = q.maxResults ?? Limits.pageSizeDefault;
    const after = decodeToken(q.continuationToken);
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (q.principal !== undefined) filter('"principal" = ?', q.principal);
    if (q.objectId !== undefined) filter('"objectId" = ?', q.objectId);
    if (q.action !== undefined) filter('"action" = ?', q.action);
    if (q.outcome !== undefined) filter('"outcome" = ?', q.outcome);
    if (q.since !== undefined) filter('"time" >= ?', isoUtc(q.since, 'since'));
    if (q.until !== undefined) filter('"time" <= ?', isoUtc(q.until, 'until'));
    if (after !== undefined) filter('("seq" < ? OR ("seq" = ? AND "idx" < ?))', after.seq, after.seq, after.idx);
    const sql = `SELECT * FROM ${this.sql.table(auditRecordsTable.name)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
      + ' ORDER BY "seq" DESC, "idx" DESC LIMIT ?';
    const rows = await this.records(this.sql.postgres ? numbered(sql) : sql, [...params, limit + 1]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      value: page.map((r) => ({ sequence: r.seq, index: r.idx, ...rowToRecord(r) })),
      ...(rows.length > limit ? { continuationToken: encodeToken(last.seq, last.idx) } : {}),
    };
  }

  /**
   * Read provenance of an object: per version, the last successful getSecret (who, when) and the
   * number of successful reads. A read that named no version is reported under version ''.
   */
  async usage(objectId: string): Promise<ObjectUsage> {
    const groups = (await this.run(this.s.readsByVersion, [objectId, DataActions.secretsGet, 'succeeded'])) as
      { version: string | null; reads: string | number; last: string | number }[];
    const inPositions = `SELECT * FROM ${this.sql.table(auditRecordsTable.name)} WHERE "position" IN (${marks(groups.length)})`;
    const lasts = groups.length === 0 ? [] : await this.records(this.sql.postgres ? numbered(inPositions) : inPositions, groups.map((g) => Number(g.last)));
    const byPosition = new Map(lasts.map((r) => [r.position, r]));
    const versions = groups
      .map((g) => {
        const last = byPosition.get(Number(g.last))!;
        return { version: g.version ?? '', lastReadBy: last.principal ?? '', lastReadAt: last.time, reads: Number(g.reads), position: last.position };
      })
      .sort((a, b) => b.position - a.position)
      .map(({ position: _position, ...v }) => v);
    return { objectId, versions };
  }
}
