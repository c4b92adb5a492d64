/** Another writer appended to the subject first: reload and decide again. */
export class WrongExpectedSequenceError extends Error {
  constructor(readonly subject: string, readonly expected: number, options?: { cause?: unknown }) {
    super(`wrong last sequence on ${subject} (expected ${expected})`, options);
  }
}

/** JetStream did not accept or answer: the caller gets ServiceUnavailable. */
export class EventLogUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
