/**
 * Secret rotation hooks (Azure has none): a secret whose current version carries the tags
 * `coffer-rotation-hook` (a NATS subject) and `coffer-rotation-interval` (ISO 8601 duration, e.g.
 * P30D) is rotated by the scheduler that long after the version was created: it sends a
 * RotationHookRequest to the subject, and sets the value of the reply as the new version (same
 * tags and content type, check-and-set on the version it rotated).
 */
export const RotationHookTags = {
  subject: 'coffer-rotation-hook',
  interval: 'coffer-rotation-interval',
} as const;

export interface RotationHookRequest {
  vault: string;
  name: string;
  /** The version being replaced. */
  version: string;
  /**
   * Deterministic for this rotation: a scheduler that restarts or takes over asks again with the
   * same id. A hook should answer the same value for the same id (not rotate twice).
   */
  requestId: string;
}

/** The hook's answer: the new value, or an error (the scheduler retries on its next scan). */
export type RotationHookReply = { value: string } | { error: string };
