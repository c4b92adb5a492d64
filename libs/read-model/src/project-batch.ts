import { DomainEvent } from '@coffer/contracts';
import { DataSource } from 'typeorm';
import { applyEvent } from './apply-event.projection';
import { readCheckpoint, writeCheckpoint } from './projection-checkpoint.store';
import { UnprojectableEventError } from './read-model.errors';

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
 * `rebuild` both go through here.
 */
export async function projectBatch(ds: DataSource, batch: readonly ProjectableEvent[]): Promise<BatchResult> {
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
    if (checkpoint !== start) await writeCheckpoint(manager, checkpoint);
    return { checkpoint, applied, skipped: batch.length - applied };
  });
}
