import { CofferRequestError } from '@coffer/client';
import { ErrorCodes, InnerErrorCodes } from '@coffer/contracts';

/** What became of one sent action. */
export type ActionOutcome = 'done' | 'settled' | 'not-yet' | 'failed';

/**
 * Refusals that mean "nothing left to do" (someone else did it, or the object changed or went
 * away since the read): settled, not failures. NotYetDue: the vault's clock is a moment behind;
 * the next scan sends the same request id again. RequestIdReused: this action's deterministic id was
 * already applied with another body (a rotation hook that answered a new value when asked again).
 */
export function outcomeOfError(err: unknown): ActionOutcome {
  if (!(err instanceof CofferRequestError)) return 'failed';
  const inner = err.innerCode;
  if (inner === InnerErrorCodes.NotYetDue) return 'not-yet';
  if (err.code === ErrorCodes.Conflict && (inner === InnerErrorCodes.AlreadyNotified || inner === InnerErrorCodes.VersionMismatch
    || inner === InnerErrorCodes.ObjectIsDeletedButRecoverable || inner === InnerErrorCodes.CertificateOperationInProgress
    || inner === InnerErrorCodes.RequestIdReused)) return 'settled';
  if (err.code === ErrorCodes.SecretNotFound || err.code === ErrorCodes.KeyNotFound || err.code === ErrorCodes.CertificateNotFound
    || err.code === ErrorCodes.VaultNotFound) return 'settled';
  if (inner === InnerErrorCodes.NoExpiry) return 'settled';
  return 'failed';
}
