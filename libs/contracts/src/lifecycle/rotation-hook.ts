import { badParameter, InnerErrorCodes } from '../errors';

/**
 * Secret rotation hooks (Azure has none): a secret whose current version carries the tags
 * `coffer-rotation-hook` (a NATS subject in `coffer.hooks.<the secret's vault>.…`) and `coffer-rotation-interval` (ISO 8601 duration, e.g.
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

/** Where rotation hooks live: `coffer.hooks.<vault>.<one or more tokens>`. */
export const HOOK_SUBJECT_PREFIX = 'coffer.hooks';
export const hookSubjectPrefix = (vault: string) => `${HOOK_SUBJECT_PREFIX}.${vault}.`;

/** A hook token: letters, digits, `_` and `-` (no wildcards, no empty tokens, no whitespace). */
const HOOK_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_HOOK_SUBJECT_LENGTH = 256;

/**
 * True when `subject` is a rotation hook of `vault`: the scheduler publishes there (as a NATS user
 * that may publish to coffer.hooks.> only), so a tag can never point it at a stream, the JetStream
 * API or another vault's hooks.
 */
export function isHookSubject(vault: string, subject: string): boolean {
  const prefix = hookSubjectPrefix(vault);
  if (subject.length > MAX_HOOK_SUBJECT_LENGTH || !subject.startsWith(prefix)) return false;
  const rest = subject.slice(prefix.length).split('.');
  return rest.length >= 1 && rest.every((token) => HOOK_TOKEN.test(token));
}

/** Refuses tags whose rotation hook is not a hook subject of `vault` (BadParameter/InvalidHookSubject). */
export function assertHookTags(vault: string, tags: Record<string, string> | null | undefined): void {
  const subject = tags?.[RotationHookTags.subject];
  if (subject === undefined || isHookSubject(vault, subject)) return;
  throw badParameter(
    `The tag '${RotationHookTags.subject}' must be a NATS subject '${hookSubjectPrefix(vault)}<name>' (letters, digits, '_' and '-' per token).`,
    InnerErrorCodes.InvalidHookSubject,
  );
}
