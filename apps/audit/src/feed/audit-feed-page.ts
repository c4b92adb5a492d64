import { AuditCheckpoint, AuditFeedItem, AuditRecord } from '@coffer/contracts';
import { ChainRow } from '@coffer/audit';

export interface AuditFeedPageInput {
  /** The first position the page covers. */
  from: number;
  /** hash_{from-1}. */
  previous: string;
  /** Chain rows at positions from, from+1, … (contiguous, in order). */
  rows: ChainRow[];
  /** Signed checkpoints whose count may fall in the rows' range. */
  checkpoints: AuditCheckpoint[];
  /** Whether the caller sees a record whole (its scope and filters). */
  visible: (record: AuditRecord) => boolean;
  /** Whole records per page, at most. */
  maxRecords: number;
}

/**
 * Builds one feed page (pure): every row becomes a whole record or part of a redacted run; a run
 * ends where a checkpoint falls (so the checkpoint's head can be compared with the hash after
 * it), and the page ends after `maxRecords` whole records or with the rows. Returns the items and
 * where the next page starts.
 */
export function buildAuditFeedPage(input: AuditFeedPageInput): { items: AuditFeedItem[]; next: number } {
  const checkpointAt = new Map(input.checkpoints.map((c) => [c.count, c]));
  const items: AuditFeedItem[] = [];
  let previous = input.previous;
  let position = input.from;
  let shown = 0;
  let run: { from: number; previous: string } | undefined;
  const closeRun = () => {
    if (run) items.push({ kind: 'redacted', from: run.from, to: position - 1, previous: run.previous, hash: previous });
    run = undefined;
  };
  for (const row of input.rows) {
    if (row.position !== position) break; // never a hole: the page ends before it
    if (input.visible(row.record)) {
      closeRun();
      items.push({ kind: 'record', position, sequence: row.seq, index: row.index, previous, hash: row.hash, record: row.record });
      shown++;
    } else {
      run ??= { from: position, previous };
    }
    previous = row.hash;
    position++;
    const checkpoint = checkpointAt.get(row.position);
    if (checkpoint) {
      closeRun();
      items.push({ kind: 'checkpoint', checkpoint });
    }
    if (shown >= input.maxRecords) break;
  }
  closeRun();
  return { items, next: position };
}
