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

/** Published on InternalSubjects.projectorApplied after each committed batch. */
export interface ProjectorApplied {
  sequence: number;
}
