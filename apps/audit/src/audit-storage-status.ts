import { AuditStorageStatus, AuditStoreUsage } from '@coffer/contracts';

type Measured = Record<Exclude<keyof AuditStorageStatus, 'alert'>, [used: number, limit: number]>;

/**
 * A stream with discard 'new' refuses the message that would cross its limit, so it stays just
 * under it: from this percentage on it counts as full (its next batch would not fit).
 */
const STREAM_FULL_PERCENT = 99;

const usage = ([used, limit]: [number, number]): AuditStoreUsage => ({
  used, limit: limit > 0 ? limit : 0, percent: limit > 0 ? Math.round((used / limit) * 1000) / 10 : 0,
});

/** Use of each audit store against its limit, and the alert `coffer status` shows. */
export function auditStorageStatus(measured: Measured, nearFullPercent: number): AuditStorageStatus {
  const streamBytes = usage(measured.streamBytes);
  const streamMessages = usage(measured.streamMessages);
  const checkpointBytes = usage(measured.checkpointBytes);
  const databaseBytes = usage(measured.databaseBytes);
  const all = [streamBytes, streamMessages, checkpointBytes, databaseBytes];
  const full = databaseBytes.percent >= 100 || [streamBytes, streamMessages, checkpointBytes].some((u) => u.percent >= STREAM_FULL_PERCENT);
  const alert = full ? 'full' : all.some((u) => u.percent >= nearFullPercent) ? 'near-full' : 'ok';
  return { alert, streamBytes, streamMessages, checkpointBytes, databaseBytes };
}
