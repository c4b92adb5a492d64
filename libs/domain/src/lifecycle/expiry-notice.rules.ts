import { CofferError, ErrorCodes, ExpiryNotice, ExpiryNoticeKind, InnerErrorCodes } from '@coffer/contracts';
import { expiryNoticeDue } from './due-times';

/** The expiry dates a version has already been noticed for, by kind (a changed exp re-arms the notice). */
export type ExpiryNotices = Partial<Record<ExpiryNoticeKind, string>>;

export interface NoticeTarget {
  kind: string;
  name: string;
  version: string;
  attributes: { nbf?: string; exp?: string };
  notices?: ExpiryNotices;
}

/**
 * Decides one expiry notice for any versioned object: at most once per version, kind and exp;
 * refused (typed) for a version without exp or before it is due. Pure: `now` and the window arrive.
 */
export function decideExpiryNotice(target: NoticeTarget, kind: ExpiryNoticeKind, windowMs: number, now: Date): ExpiryNotice {
  const { exp, nbf } = target.attributes;
  const what = `${target.kind} '${target.name}' version '${target.version}'`;
  if (exp === undefined) throw new CofferError(ErrorCodes.BadParameter, `${what} has no expiry date.`, InnerErrorCodes.NoExpiry);
  if (target.notices?.[kind] === exp) {
    throw new CofferError(ErrorCodes.Conflict, `${what} has already been noticed as ${kind} for expiry ${exp}.`, InnerErrorCodes.AlreadyNotified);
  }
  const due = expiryNoticeDue(kind, exp, windowMs);
  if (now.getTime() < due) {
    throw new CofferError(ErrorCodes.Conflict, `${what}: ${kind} is not due before ${new Date(due).toISOString()}.`, InnerErrorCodes.NotYetDue);
  }
  return { version: target.version, kind, ...(nbf !== undefined && { nbf }), exp, notified: now.toISOString() };
}
