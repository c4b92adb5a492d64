/**
 * A stored event the projector cannot decode or fold (bad JSON, unknown type or version, wrong
 * shape). The projector stops before it and reports it; it never skips an event silently.
 * The message names the type and sequence only, never the event data.
 */
export class PoisonEventError extends Error {
  readonly code = 'PoisonEvent';
  constructor(readonly sequence: number, readonly eventType: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(`event at sequence ${sequence}${eventType ? ` (${eventType})` : ''} cannot be projected: ${reason}`, options);
    this.name = 'PoisonEventError';
  }
}
