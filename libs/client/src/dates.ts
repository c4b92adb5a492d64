import { invalidArgument } from './errors';

// Date only (midnight UTC) or date-time with a zone; a date-time without a zone would mean
// different instants on different machines, so it is refused.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Parses an ISO 8601 time into a Date, or returns undefined if it is not one. Strict: the calendar
 * date must exist (JavaScript's Date would roll 2024-02-30 over to March).
 */
export function parseIsoTime(text: string): Date | undefined {
  const m = ISO_8601.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) return undefined;
  const calendar = new Date(Date.UTC(+y, +mo - 1, +d));
  const dateExists = calendar.getUTCFullYear() === +y && calendar.getUTCMonth() === +mo - 1 && calendar.getUTCDate() === +d;
  return dateExists && +h < 24 && +mi < 60 && +s < 60 ? date : undefined;
}

/** A Date or ISO 8601 string as the wire wants it (UTC, `toISOString`). */
export function toWireTime(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : parseIsoTime(value);
  if (!date || Number.isNaN(date.getTime())) {
    throw invalidArgument(`${field} must be a valid ISO 8601 time, e.g. 2030-01-31T00:00:00Z (got '${String(value)}')`);
  }
  return date.toISOString();
}
