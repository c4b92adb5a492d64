import { CofferError, ErrorCodes } from '@coffer/contracts';

/**
 * Whether a command that failed may still have been recorded: an unavailable event log or a
 * lagging projection fail after (or while) the append was stored, and an unexpected error proves
 * nothing. Refusals (bad input, conflicts, not found, forbidden) are decided before anything is
 * appended. Material made for the command (HSM keys, data keys) is destroyed only when this is false.
 */
export function mayHaveBeenRecorded(err: unknown): boolean {
  return !(err instanceof CofferError) || err.code === ErrorCodes.ServiceUnavailable;
}
