import { DomainEvent } from '@coffer/contracts';
import { applyEvent } from './apply-event.projection';
import { Transactor } from '@coffer/sql';
import { readCheckpoint, writeCheckpoint } from './projection-checkpoint.store';
import { UnprojectableEventError } from './read-model.errors';
import { Sql, sqlFor } from './sql-statements';
import { SqlRunner, sqlRunner } from '@coffer/sql';

/** How long an applied request is remembered (a retry with its id replays it): 24 h unless configured. */
export const DEFAULT_REQUEST_ID_HORIZON_MS = 24 * 3_600_000;

export interface ProjectBatchOptions {
  /** applied_requests rows older than this (event time, behind the newest row) are pruned. */
  requestIdHorizonMs?: number;
}

export interface ProjectableEvent {
  event: DomainEvent;
  sequence: number;
  subject: string;
}

export interface BatchResult {
  /** The checkpoint after the batch (unchanged when every event was already applied). */
  checkpoint: number;
  applied: number;
  /** Events not applied because their check-and-set expectation did not hold (see decidedAgainstHead). */
  voided: number;
  /** Events at or below the checkpoint (already applied). */
  skipped: number;
}

/**
 * Whether `event` was decided against its subject's real last sequence; if not, it is recorded as
 * voided and must not be applied. JetStream's expected-last-subject-sequence should already refuse
 * such an append, but a replicated stream on nats-server 2.9 does not always (#4320), so
 * check-and-set is a property of the log, decided here in stream order: a rebuild voids the same
 * events. Events without an expectation (written before it was recorded) and subjects without a head
 * row (history from before this check) are accepted as they are.
 */
async function decidedAgainstHead(run: SqlRunner, s: Sql['s'], event: DomainEvent, sequence: number, subject: string): Promise<boolean> {
  const expected = event.metadata?.expectedSequence;
  if (expected === undefined) return true;
  const [head] = await run(s.headRead, [subject]);
  if (head === undefined || Number(head.sequence) === expected) return true;
  await run(s.voidedInsert, [sequence, subject, expected, Number(head.sequence)]);
  return false;
}

/**
 * Applies a batch (stream order) and moves the checkpoint in ONE transaction; events at or below
 * the stored checkpoint are skipped, so a redelivered batch changes nothing. The live projector and
 * `rebuild` both go through here, on a DedicatedConnection (resolves only once committed).
 * applied_requests past the request-id horizon are pruned in the same transaction.
 */
export async function projectBatch(db: Transactor, batch: readonly ProjectableEvent[], opts: ProjectBatchOptions = {}): Promise<BatchResult> {
  return db.transaction(async (manager) => {
    const { s } = sqlFor(manager.connection);
    const run = sqlRunner(manager);
    let checkpoint = await readCheckpoint(manager, undefined, true);
    const start = checkpoint;
    let applied = 0;
    let voided = 0;
    for (const { event, sequence, subject } of batch) {
      if (sequence <= checkpoint) continue;
      if (await decidedAgainstHead(run, s, event, sequence, subject)) {
        try {
          await applyEvent(manager, event, sequence, subject);
        } catch (err) {
          if (err instanceof UnprojectableEventError && err.sequence === undefined) {
            throw new UnprojectableEventError(`${event.type} at sequence ${sequence}: ${err.message}`, { cause: err, sequence });
          }
          throw err;
        }
        applied++;
      } else {
        voided++;
      }
      await run(s.headWrite, [subject, sequence]);
      checkpoint = sequence;
    }
    if (checkpoint !== start) {
      // Every batch that applied something prunes: the rows left depend only on the events applied, not on batch boundaries.
      await run(s.appliedPrune, [opts.requestIdHorizonMs ?? DEFAULT_REQUEST_ID_HORIZON_MS]);
      await writeCheckpoint(manager, checkpoint);
    }
    return { checkpoint, applied, voided, skipped: batch.length - applied - voided };
  });
}
