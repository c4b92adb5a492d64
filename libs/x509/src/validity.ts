import { X509InputError } from './errors';

/** A Date from the caller, checked; X.509 times have whole seconds, so milliseconds are dropped. */
export function checkedDate(value: Date, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new X509InputError(`${what} must be a valid date`);
  const d = new Date(Math.floor(value.getTime() / 1000) * 1000);
  // UTCTime covers 1950-2049, GeneralizedTime the rest (RFC 5280 §4.1.2.5); years < 1950 are not representable as UTCTime rules require.
  if (d.getUTCFullYear() < 1950 || d.getUTCFullYear() > 9999) throw new X509InputError(`${what} must be between 1950 and 9999`);
  return d;
}

/** notBefore/notAfter checked: both valid and notAfter strictly after notBefore. */
export function checkedValidity(notBefore: Date, notAfter: Date): { notBefore: Date; notAfter: Date } {
  const nb = checkedDate(notBefore, 'notBefore');
  const na = checkedDate(notAfter, 'notAfter');
  if (na.getTime() <= nb.getTime()) throw new X509InputError('notAfter must be after notBefore');
  return { notBefore: nb, notAfter: na };
}

/**
 * notAfter for Azure's `validity_months`: the same day-of-month and time `months` later, clamped to
 * the last day of a shorter month (Jan 31 + 1 month = Feb 28/29). Validity 0 or less is refused.
 */
export function addValidityMonths(notBefore: Date, months: number): Date {
  if (!Number.isInteger(months) || months < 1 || months > 1200) throw new X509InputError('validity_months must be an integer from 1 to 1200');
  const start = checkedDate(notBefore, 'notBefore');
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(y, m, Math.min(start.getUTCDate(), lastDay), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()),
  );
}
