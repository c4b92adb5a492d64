import { CofferError, ErrorCodes, InnerErrorCodes } from '@coffer/contracts';

/** Another writer appended to the subject first: reload and decide again. */
export class WrongExpectedSequenceError extends Error {
  constructor(readonly subject: string, readonly expected: number, options?: { cause?: unknown }) {
    super(`wrong last sequence on ${subject} (expected ${expected})`, options);
  }
}

/**
 * JetStream (event log or keyring) did not accept or answer: a retryable ServiceUnavailable for the
 * caller wherever it is thrown. `detail` says what failed, for the log, never for the caller.
 */
export class EventLogUnavailableError extends CofferError {
  constructor(readonly detail: string, options?: { cause?: unknown }) {
    super(ErrorCodes.ServiceUnavailable, 'The event log is unavailable; retry later.', InnerErrorCodes.EventLogUnavailable, options);
    this.name = 'EventLogUnavailableError';
  }
}
