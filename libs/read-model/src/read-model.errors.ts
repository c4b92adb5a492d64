/**
 * The event cannot be folded into the read model (subject or shape does not fit its type).
 * `sequence` is set once the failing event's stream position is known (projectBatch sets it).
 */
export class UnprojectableEventError extends Error {
  readonly code = 'UnprojectableEvent';
  readonly sequence?: number;
  constructor(message: string, options?: { cause?: unknown; sequence?: number }) {
    super(message, options);
    this.sequence = options?.sequence;
    this.name = 'UnprojectableEventError';
  }
}
