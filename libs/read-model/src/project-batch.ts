import { DomainEvent } from '@coffer/contracts';
import { DataSource } from 'typeorm';
import { applyEvent } from './apply-event.projection';
import { readCheckpoint, writeCheckpoint } from './projection-checkpoint.store';
import { UnprojectableEventError } from './read-model.errors';
import { sqlFor } from './sql-statements';
import { sqlRunner } from './sql-runner';

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
  skipped: number;
}

/**
 * Applies a batch (stream order) and moves the checkpoint in ONE transaction; events at or below
 * the stored checkpoint are skipped, so a redelivered batch changes nothing. The live projector and
 * `rebuild` both go through here. applied_requests past the request-id horizon are pruned in the
 * same transaction.
 */
export async function projectBatch(ds: DataSource, batch: readonly ProjectableEvent[], opts: ProjectBatchOptions = {}): Promise<BatchResult> {
  return ds.transaction(async (manager) => {
    let checkpoint = await readCheckpoint(manager, undefined, true);
    const start = checkpoint;
    let applied = 0;
    for (const { event, sequence, subject } of batch) {
      if (sequence <= checkpoint) continue;
      try {
        await applyEvent(manager, event, sequence, subject);
      } catch (err) {
        if (err instanceof UnprojectableEventError && err.sequence === undefined) {
          throw new UnprojectableEventError(`${event.type} at sequence ${sequence}: ${err.message}`, { cause: err, sequence });
        }
        throw err;
      }
      checkpoint = sequence;
      applied++;
    }
    if (checkpoint !== start) {
      // Every batch that applied something prunes: the rows left depend only on the events applied, not on batch boundaries.
      await sqlRunner(manager)(sqlFor(ds).s.appliedPrune, [opts.requestIdHorizonMs ?? DEFAULT_REQUEST_ID_HORIZON_MS]);
      await writeCheckpoint(manager, checkpoint);
    }
    return { checkpoint, applied, skipped: batch.length - applied };
  });
}
