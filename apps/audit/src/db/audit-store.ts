import { AuditCheckpoint, AuditRecord, AuditOutcome, badParameter, DataActions, Limits, ObjectUsage } from '@coffer/contracts';
import { AuditQueryReply, ChainRow, GENESIS_HASH } from '@coffer/audit';
import { dialectOf, marks, numbered, preparedStatement, SqlDialect, SqliteHandle, sqliteHandle } from '@coffer/sql';
import { DataSource, QueryRunner } from 'typeorm';
import { AuditCheckpointRow, AuditRecordRow } from './audit-entities';

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
  return Object.assign(new AuditRecordRow(), {
    seq, idx, position, time: record.time, requestId: record.requestId, principal: record.principal ?? null, action: record.action,
    objectId: record.objectId, version: record.version ?? null, outcome: record.outcome, errorCode: record.errorCode ?? null,
    subject: record.subject, hash, count: record.count ?? null, lastTime: record.lastTime ?? null,
  });
}

const COLUMNS = ['seq', 'idx', 'position', 'time', 'requestId', 'principal', 'action', 'objectId', 'version', 'outcome', 'errorCode', 'subject', 'hash', 'count', 'lastTime'] as const;
const CHECKPOINT_COLUMNS = ['sequence', 'count', 'head', 'time', 'keyId', 'signature'] as const;
const PG_INSERT_ROWS = 1000;

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

  constructor(readonly ds: DataSource) {
    this.sql = dialectOf(ds);
  }

  async head(): Promise<ChainHead> {
    const row = await this.ds.getRepository(AuditRecordRow).find({ order: { seq: 'DESC', idx: 'DESC' }, take: 1 });
    return row[0] ? { seq: row[0].seq, position: row[0].position, hash: row[0].hash } : GENESIS_HEAD;
  }

  /** The last chain row before the message at `seq` (verification anchor), or the genesis. */
  async headBefore(seq: number): Promise<ChainHead> {
    const row = await this.ds.getRepository(AuditRecordRow).createQueryBuilder('r').where('r.seq < :seq', { seq })
      .orderBy('r.seq', 'DESC').addOrderBy('r.idx', 'DESC').limit(1).getOne();
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
        const insert = preparedStatement(db, this.insertSql('audit_records', COLUMNS));
        for (const r of rows) insert.run(...COLUMNS.map((c) => r[c]));
      },
      async (qr) => {
        // Multi-row inserts: one round trip per chunk (PostgreSQL allows 65,535 parameters a statement).
        for (let i = 0; i < rows.length; i += PG_INSERT_ROWS) {
          const chunk = rows.slice(i, i + PG_INSERT_ROWS);
          await qr.query(this.insertSql('audit_records', COLUMNS, chunk.length), chunk.flatMap((r) => COLUMNS.map((c) => r[c])));
        }
      },
    );
  }

  saveCheckpoint(c: AuditCheckpoint): Promise<void> {
    const values = CHECKPOINT_COLUMNS.map((k) => c[k]);
    return this.write(
      (db) => {
        preparedStatement(db, `${this.insertSql('audit_checkpoints', CHECKPOINT_COLUMNS)} ON CONFLICT ("sequence") DO NOTHING`).run(...values);
      },
      async (qr) => {
        await qr.query(`${this.insertSql('audit_checkpoints', CHECKPOINT_COLUMNS)} ON CONFLICT ("sequence") DO NOTHING`, values);
      },
    );
  }

  /** Size of the chain database in bytes (SQLite: the main file's pages; PostgreSQL: the two tables with their indexes). */
  async sizeBytes(): Promise<number> {
    const db = sqliteHandle(this.ds);
    if (db) return Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
    const rows = (await this.ds.query(
      `SELECT COALESCE(pg_total_relation_size(to_regclass($1)), 0) + COALESCE(pg_total_relation_size(to_regclass($2)), 0) AS size`,
      [this.sql.table('audit_records'), this.sql.table('audit_checkpoints')],
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

  private insertSql(table: string, columns: readonly string[], rowCount = 1): string {
    const values = Array.from({ length: rowCount }, () => `(${marks(columns.length)})`).join(', ');
    const sql = `INSERT INTO ${this.sql.table(table)} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`;
    return this.sql.postgres ? numbered(sql) : sql;
  }

  /** Chain rows with afterSeq < seq <= upToSeq (all after afterSeq without upToSeq), in chain order. */
  async rowsAfter(afterSeq: number, upToSeq?: number): Promise<ChainRow[]> {
    const qb = this.ds.getRepository(AuditRecordRow).createQueryBuilder('r').where('r.seq > :afterSeq', { afterSeq });
    if (upToSeq !== undefined) qb.andWhere('r.seq <= :upToSeq', { upToSeq });
    const rows = await qb.orderBy('r.seq', 'ASC').addOrderBy('r.idx', 'ASC').getMany();
    return rows.map(toChainRow);
  }

  /** The n-th chain row after afterSeq (1-based), or undefined: bounds a verification window by rows. */
  async nthRowAfter(afterSeq: number, n: number): Promise<ChainRow | undefined> {
    const row = await this.ds.getRepository(AuditRecordRow).createQueryBuilder('r').where('r.seq > :afterSeq', { afterSeq })
      .orderBy('r.seq', 'ASC').addOrderBy('r.idx', 'ASC').offset(n - 1).limit(1).getOne();
    return row ? toChainRow(row) : undefined;
  }

  async lastCheckpoint(): Promise<AuditCheckpoint | null> {
    const rows = await this.ds.getRepository(AuditCheckpointRow).find({ order: { sequence: 'DESC' }, take: 1 });
    return rows[0] ? { ...rows[0] } : null;
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    return (await this.ds.getRepository(AuditCheckpointRow).find({ order: { sequence: 'ASC' } })).map((r) => ({ ...r }));
  }


  /** Filtered, newest first, keyset-paged by (stream sequence, index). */
  async query(q: AuditQuery): Promise<AuditQueryReply> {
    const limit = q.maxResults ?? Limits.pageSizeDefault;
    const after = decodeToken(q.continuationToken);
    const qb = this.ds.getRepository(AuditRecordRow).createQueryBuilder('r');
    if (q.principal !== undefined) qb.andWhere('r.principal = :principal', { principal: q.principal });
    if (q.objectId !== undefined) qb.andWhere('r.objectId = :objectId', { objectId: q.objectId });
    if (q.action !== undefined) qb.andWhere('r.action = :action', { action: q.action });
    if (q.outcome !== undefined) qb.andWhere('r.outcome = :outcome', { outcome: q.outcome });
    if (q.since !== undefined) qb.andWhere('r.time >= :since', { since: isoUtc(q.since, 'since') });
    if (q.until !== undefined) qb.andWhere('r.time <= :until', { until: isoUtc(q.until, 'until') });
    if (after !== undefined) qb.andWhere('(r.seq < :afterSeq OR (r.seq = :afterSeq AND r.idx < :afterIdx))', { afterSeq: after.seq, afterIdx: after.idx });
    const rows = await qb.orderBy('r.seq', 'DESC').addOrderBy('r.idx', 'DESC').limit(limit + 1).getMany();
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
    const repo = this.ds.getRepository(AuditRecordRow);
    const where = 'r.objectId = :objectId AND r.action = :action AND r.outcome = :outcome';
    const params = { objectId, action: DataActions.secretsGet, outcome: 'succeeded' };
    // The chain position orders records like (sequence, index) and is one column.
    const groups = await repo.createQueryBuilder('r').select('r.version', 'version').addSelect('COUNT(*)', 'reads').addSelect('MAX(r.position)', 'last')
      .where(where, params).groupBy('r.version').getRawMany<{ version: string | null; reads: string | number; last: string | number }>();
    const lasts = groups.length === 0 ? [] : await repo.createQueryBuilder('r').where('r.position IN (:...positions)', { positions: groups.map((g) => Number(g.last)) }).getMany();
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
