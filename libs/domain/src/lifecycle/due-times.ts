import { CertificateActionType, CertificateLifetimeAction, ExpiryNoticeKind, LifetimeAction } from '@coffer/contracts';
import { isoDurationMs } from '../key/iso-duration';

/**
 * When lifecycle actions fall due: pure functions of an object's dates and its policy, shared by the
 * scheduler (what to send) and the deciders (whether it may happen yet). Times are epoch ms.
 */
export const DAY_MS = 86_400_000;

const ms = (iso: string): number => Date.parse(iso);

/** When a notice of `kind` falls due for a version expiring at `exp`: `windowMs` before it, or at it. */
export function expiryNoticeDue(kind: ExpiryNoticeKind, exp: string, windowMs: number): number {
  return kind === 'Expired' ? ms(exp) : ms(exp) - windowMs;
}

/** The version a rotation policy acts on: the key's current version. */
export interface VersionDates {
  created: string;
  exp?: string;
}

/**
 * When a key's Rotate action falls due for its current version: `timeAfterCreate` after it was
 * created, or `timeBeforeExpiry` before its exp (never, for a version without exp). Undefined when
 * the policy has no Rotate action or it cannot fire.
 */
export function rotationDue(actions: readonly LifetimeAction[], version: VersionDates): number | undefined {
  const rotate = actions.find((a) => a.action.type === 'Rotate');
  if (!rotate) return undefined;
  return triggerDue(rotate.trigger, version);
}

/** The Notify action's warning window (ms before exp), or undefined when the policy has none. */
export function notifyWindowMs(actions: readonly LifetimeAction[]): number | undefined {
  const before = actions.find((a) => a.action.type === 'Notify')?.trigger.timeBeforeExpiry;
  return before === undefined ? undefined : isoDurationMs(before);
}

function triggerDue(trigger: LifetimeAction['trigger'], version: VersionDates): number | undefined {
  if (trigger.timeAfterCreate !== undefined) {
    const after = isoDurationMs(trigger.timeAfterCreate);
    return after === undefined ? undefined : ms(version.created) + after;
  }
  if (trigger.timeBeforeExpiry !== undefined && version.exp !== undefined) {
    const before = isoDurationMs(trigger.timeBeforeExpiry);
    return before === undefined ? undefined : ms(version.exp) - before;
  }
  return undefined;
}

/** A certificate version's validity (notBefore / notAfter, ISO 8601). */
export interface CertificateValidity {
  nbf: string;
  exp: string;
}

/**
 * When a certificate lifetime action's trigger falls due for a version: `lifetime_percentage` p at
 * notBefore + p% of (notAfter − notBefore); `days_before_expiry` d at notAfter − d days. Undefined
 * for a trigger with neither (or unreadable dates).
 */
export function certificateTriggerDue(trigger: CertificateLifetimeAction['trigger'], validity: CertificateValidity): number | undefined {
  const nbf = ms(validity.nbf);
  const exp = ms(validity.exp);
  if (Number.isNaN(nbf) || Number.isNaN(exp)) return undefined;
  if (trigger.lifetime_percentage !== undefined) return nbf + Math.floor(((exp - nbf) * trigger.lifetime_percentage) / 100);
  if (trigger.days_before_expiry !== undefined) return exp - trigger.days_before_expiry * DAY_MS;
  return undefined;
}

/** When the policy's action of `type` (AutoRenew, EmailContacts) falls due for a version; undefined without one. */
export function certificateActionDue(actions: readonly CertificateLifetimeAction[], type: CertificateActionType, validity: CertificateValidity): number | undefined {
  const action = actions.find((a) => a.action.action_type === type);
  return action ? certificateTriggerDue(action.trigger, validity) : undefined;
}

/** A deleted object may be purged by the scheduler once its scheduled purge date has passed. */
export const purgeDue = (scheduledPurgeDate: string): number => ms(scheduledPurgeDate);

export const isDue = (due: number | undefined, nowMs: number): due is number => due !== undefined && !Number.isNaN(due) && due <= nowMs;
