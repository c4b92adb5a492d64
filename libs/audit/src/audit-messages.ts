import { AuditCheckpoint, AuditRecord, AuditStorageStatus } from '@coffer/contracts';

/** Internal and public reply of `audit.query`: newest first; each record by stream sequence and index in its message. */
export interface AuditQueryReply {
  value: (AuditRecord & { sequence: number; index: number })[];
  /** Pass back as continuationToken for the next (older) page. */
  continuationToken?: string;
}

/** Reply on InternalSubjects.audit('status'). */
export interface AuditStatusReply {
  /** Last signed checkpoint, or null before the first. */
  checkpoint: AuditCheckpoint | null;
  /** Chain head: last chained stream sequence (a whole message) and the number of chained records. */
  sequence: number;
  count: number;
  /** Messages (groups of records) in COFFER_AUDIT not chained yet (-1 when the stream could not be read). */
  lag: number;
  /** Set while the audit app cannot chain (database or stream trouble). */
  error?: string;
  /** How full the audit streams and the chain database are (absent when they could not be read). */
  storage?: AuditStorageStatus;
  /** Set while checkpoints cannot be signed or published (the chain itself keeps going). */
  checkpointError?: string;
}

/** Internal `audit.verify` request: the public one plus what the vault adds. */
export interface InternalAuditVerifyRequest {
  fromSequence?: number;
}
