import { sqlRunner } from '@coffer/read-model';
import { AuditCheckpoint, AuditRecord, AuditOutcome, badParameter, DataActions, Limits, ObjectUsage } from '@coffer/contracts';
import { AuditQueryReply, ChainRow, GENESIS_HASH } from '@coffer/audit';
import { DataSource, EntityManager } from 'typeorm';
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
  };
}

export function recordToRow(seq: number, idx: number, position: number, record: AuditRecord, hash: string): AuditRecordRow {
  return Object.assign(new AuditRecordRow(), {
    seq, idx, position, time: record.time, requestId: record.requestId, principal: record.principal ?? null, action: record.action,
    objectId: record.objectId, version: record.version ?? null, outcome: record.outcome, errorCode: record.errorCode ?? null,
    subject: record.subject, hash,
  });
}

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

/** The audit app's tables: chained records and signed checkpoints. */
export class AuditStore {
  constructor(readonly ds: DataSource) {}

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

  /** Appends rows (one transaction), one prepared statement per row (cached on SQLite: see sqlRunner). */
  async append(rows: AuditRecordRow[], manager?: EntityManager): Promise<void> {
    const write = async (m: EntityManager) => {
      const run = sqlRunner(m);
      const statement = this.insertStatement();
      for (const r of rows) {
        await run(statement, [r.seq, r.idx, r.position, r.time, r.requestId, r.principal, r.action, r.objectId, r.version, r.outcome, r.errorCode, r.subject, r.hash]);
      }
    };
    if (manager) await write(manager);
    else await this.ds.transaction(write);
  }

  private insertStatement(): string {
    const postgres = this.ds.options.type === 'postgres';
    const schema = postgres ? (this.ds.options as { schema?: string }).schema : undefined;
    const table = schema ? `"${schema}"."audit_records"` : '"audit_records"';
    const columns = ['seq', 'idx', 'position', 'time', 'requestId', 'principal', 'action', 'objectId', 'version', 'outcome', 'errorCode', 'subject', 'hash'];
    const params = columns.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
    return `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${params})`;
  }

  async rowsAfter(seq: number): Promise<ChainRow[]> {
    const rows = await this.ds.getRepository(AuditRecordRow).createQueryBuilder('r').where('r.seq > :seq', { seq })
      .orderBy('r.seq', 'ASC').addOrderBy('r.idx', 'ASC').getMany();
    return rows.map((r) => ({ seq: r.seq, index: r.idx, position: r.position, hash: r.hash, record: rowToRecord(r) }));
  }

  async lastCheckpoint(): Promise<AuditCheckpoint | null> {
    const rows = await this.ds.getRepository(AuditCheckpointRow).find({ order: { sequence: 'DESC' }, take: 1 });
    return rows[0] ? { ...rows[0] } : null;
  }

  async checkpoints(): Promise<AuditCheckpoint[]> {
    return (await this.ds.getRepository(AuditCheckpointRow).find({ order: { sequence: 'ASC' } })).map((r) => ({ ...r }));
  }

  async saveCheckpoint(c: AuditCheckpoint): Promise<void> {
    await this.ds.getRepository(AuditCheckpointRow).save(Object.assign(new AuditCheckpointRow(), c));
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
