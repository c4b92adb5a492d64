/** Reply on InternalSubjects.projectorStatus. */
export interface ProjectorStatus {
  /** Last stream sequence applied to the read model. */
  checkpoint: number;
  /** Last sequence in COFFER_EVENTS (-1 when the stream could not be read). */
  lastSequence: number;
  lag: number;
  /** Set while the projector is stopped at a poison event or retrying after a failure. */
  error?: string;
}

/**
 * Published on InternalSubjects.projectorApplied after each committed batch, and while the projector
 * is stalled (every STALL_ANNOUNCE_MS, with `error`); an announcement without `error` ends a stall.
 */
export interface ProjectorApplied {
  /** The committed checkpoint. */
  sequence: number;
  /** Set while nothing more can be applied (database failure being retried, or a poison event). */
  error?: string;
}
