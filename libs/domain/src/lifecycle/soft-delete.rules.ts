import { CofferError, conflict, ErrorCodes, InnerErrorCodes } from '@coffer/contracts';

/**
 * Soft delete, recover and purge rules every vault object follows (Azure's recoverable objects):
 * a deleted object keeps its name until it is recovered or purged; purge protection forbids purging
 * before the retention period (the scheduled purge date) has passed.
 */
const DAY_MS = 86_400_000;

/** When a deleted object becomes purgeable by anyone (and is purged by the scheduler). */
export const scheduledPurgeDate = (deletedAt: Date, retentionDays: number): string =>
  new Date(deletedAt.getTime() + retentionDays * DAY_MS).toISOString();

export const deletedButRecoverable = (kind: string, name: string): CofferError =>
  conflict(`${kind} '${name}' is deleted but recoverable: recover or purge it first.`, InnerErrorCodes.ObjectIsDeletedButRecoverable);

export const alreadyExists = (kind: string, name: string): CofferError =>
  conflict(`${kind} '${name}' already exists.`, InnerErrorCodes.ObjectAlreadyExists);

/** Refuses a purge while purge protection holds the object (until its scheduled purge date). */
export function assertPurgeAllowed(kind: string, name: string, purgeProtection: boolean, purgeDate: string | undefined, now: Date): void {
  if (purgeProtection && purgeDate && now.toISOString() < purgeDate) {
    throw new CofferError(ErrorCodes.Forbidden, `${kind} '${name}' is purge-protected until ${purgeDate}.`, InnerErrorCodes.PurgeProtected);
  }
}

/** Where a restore may go: a name that is free (never used, or purged). */
export function assertRestorable(kind: string, name: string, status: 'absent' | 'active' | 'deleted'): void {
  if (status === 'deleted') throw deletedButRecoverable(kind, name);
  if (status === 'active') throw alreadyExists(kind, name);
}
