import { bigint, defineTable, RowOf, varchar } from '@coffer/sql';

/** Last stream sequence folded into the read model; written in the same transaction as the rows. */
export const projectionCheckpointsTable = defineTable('projection_checkpoints', {
  name: varchar(), sequence: bigint(),
}, { primaryKey: ['name'] });
export type ProjectionCheckpoint = RowOf<typeof projectionCheckpointsTable.columns>;

/**
 * One applied request on one object: where its event landed, and what it was. Request ids are
 * scoped to their principal, so the key is (principal, request id, subject); `requestHash` lets a
 * reused id with another body be refused. Rows older than the request-id horizon (by event time)
 * are pruned by the projection.
 */
export const appliedRequestsTable = defineTable('applied_requests', {
  principalId: varchar(), requestId: varchar(), subject: varchar(), sequence: bigint(), requestHash: varchar(),
  /** The event's metadata.occurredAt, epoch milliseconds: what pruning compares. */
  occurredAt: bigint(),
}, { primaryKey: ['principalId', 'requestId', 'subject'] });
export type AppliedRequest = RowOf<typeof appliedRequestsTable.columns>;

/**
 * The last event on each event-log subject (applied or voided): what the next event on that subject
 * must have been decided against. The projection checks every event's `expectedSequence` here,
 * because a replicated JetStream stream on nats-server 2.9 can accept two conditional appends made
 * against the same sequence (nats-server #4320).
 */
export const subjectHeadsTable = defineTable('subject_heads', {
  subject: varchar(), sequence: bigint(),
}, { primaryKey: ['subject'] });
export type SubjectHead = RowOf<typeof subjectHeadsTable.columns>;

/**
 * An event in the log that the projection did not apply: it was decided against a sequence that was
 * no longer its subject's last one when it landed (a check-and-set the server should have refused).
 * Its writer decides again or reports Conflict; the change feed leaves it out.
 */
export const voidedEventsTable = defineTable('voided_events', {
  sequence: bigint(), subject: varchar(),
  /** What its writer expected to be the subject's last sequence. */
  expectedSequence: bigint(),
  /** What the subject's last sequence really was. */
  headSequence: bigint(),
}, { primaryKey: ['sequence'] });
export type VoidedEvent = RowOf<typeof voidedEventsTable.columns>;
