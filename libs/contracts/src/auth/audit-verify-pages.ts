import { AuditVerifyReply } from './auth-responses';

/** What one `audit verify` page request carries (AuditVerifyRequest's fields). */
export interface AuditVerifyPage {
  fromSequence?: number;
  fromCheckpoint?: string;
  upTo?: number;
  maxRecords?: number;
}

/** Problems kept in a whole verification's report at most. */
export const AUDIT_VERIFY_MAX_PROBLEMS = 1_000;

/**
 * Drives a paged verification to its end: the first page fixes `upTo`, each next page starts at
 * the previous page's `nextSequence`; the replies are summed into one (ok only when every page is).
 * `onProgress` sees each page as it completes.
 */
export async function verifyAllPages(
  verifyPage: (page: AuditVerifyPage) => Promise<AuditVerifyReply>,
  first: AuditVerifyPage,
  onProgress?: (page: AuditVerifyReply, total: AuditVerifyReply) => void,
): Promise<AuditVerifyReply> {
  const total: AuditVerifyReply = { ok: true, checkedRecords: 0, checkpoints: 0, problems: [] };
  let page: AuditVerifyPage = first;
  for (;;) {
    const reply = await verifyPage(page);
    total.checkedRecords += reply.checkedRecords;
    total.checkpoints += reply.checkpoints;
    total.problems.push(...reply.problems.slice(0, AUDIT_VERIFY_MAX_PROBLEMS - total.problems.length));
    total.ok &&= reply.ok;
    total.upTo ??= reply.upTo;
    total.lastSequence = reply.lastSequence;
    if (reply.fromCheckpoint && !total.fromCheckpoint) total.fromCheckpoint = reply.fromCheckpoint;
    onProgress?.(reply, total);
    if (reply.nextSequence === undefined || reply.upTo === undefined) return total;
    page = { fromSequence: reply.nextSequence, upTo: reply.upTo, ...(first.maxRecords !== undefined && { maxRecords: first.maxRecords }) };
  }
}
