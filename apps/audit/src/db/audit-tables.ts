import { bigint, defineTable, integer, RowOf, varchar } from '@coffer/sql';

/**
 * One chained audit record: the record's fields, where it is in COFFER_AUDIT (stream sequence and
 * index within that message: the vault group-commits several records per message), chain position and hash.
 */
export const auditRecordsTable = defineTable('audit_records', {
  /** COFFER_AUDIT stream sequence. */
  seq: bigint(),
  /** Index of the record within its message (0 for the first, and for messages of one record). */
  idx: integer(),
  /** n: 1 for the first chained record. */
  position: bigint(),
  time: varchar(), requestId: varchar(), principal: varchar().nullable(), action: varchar(), objectId: varchar(), version: varchar().nullable(),
  outcome: varchar(), errorCode: varchar().nullable(), subject: varchar(),
  /** hash_n, hex. */
  hash: varchar(),
  /** Summary records only: requests folded into this one, and the last one's time. */
  count: integer().nullable(),
  lastTime: varchar().nullable(),
}, { primaryKey: ['seq', 'idx'] });
export type AuditRecordRow = RowOf<typeof auditRecordsTable.columns>;

/** A signed checkpoint, as published to COFFER_AUDIT_CHECKPOINTS. */
export const auditCheckpointsTable = defineTable('audit_checkpoints', {
  sequence: bigint(), count: bigint(), head: varchar(), time: varchar(), keyId: varchar(), signature: varchar(),
}, { primaryKey: ['sequence'] });
export type AuditCheckpointRow = RowOf<typeof auditCheckpointsTable.columns>;

export const AUDIT_TABLES = [auditRecordsTable, auditCheckpointsTable];
