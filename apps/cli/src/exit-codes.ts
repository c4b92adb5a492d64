import { ErrorCodes } from '@coffer/contracts/protocol';
import { CofferRequestError } from '@coffer/client';
import { CommanderError } from 'commander';
import { UsageError } from './usage-error';

/** Process exit codes; scripts may rely on them. */
export const ExitCodes = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  NotFound: 3,
  Conflict: 4,
  AccessDenied: 5,
} as const;
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

const BY_ERROR_CODE: Record<string, ExitCode> = {
  [ErrorCodes.BadParameter]: ExitCodes.Usage,
  [ErrorCodes.VaultNotFound]: ExitCodes.NotFound,
  [ErrorCodes.SecretNotFound]: ExitCodes.NotFound,
  [ErrorCodes.KeyNotFound]: ExitCodes.NotFound,
  [ErrorCodes.CertificateNotFound]: ExitCodes.NotFound,
  [ErrorCodes.NotFound]: ExitCodes.NotFound,
  [ErrorCodes.Conflict]: ExitCodes.Conflict,
  [ErrorCodes.Unauthorized]: ExitCodes.AccessDenied,
  [ErrorCodes.Forbidden]: ExitCodes.AccessDenied,
};

export function exitCodeForErrorCode(code: string, _innerCode?: string): ExitCode {
  return BY_ERROR_CODE[code] ?? ExitCodes.Error;
}

export function exitCodeFor(err: unknown): ExitCode {
  // Commander "fails" with exit code 0 for help and version; anything else it throws is a usage error.
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCodes.Ok : ExitCodes.Usage;
  if (err instanceof UsageError) return ExitCodes.Usage;
  if (err instanceof CofferRequestError) return exitCodeForErrorCode(err.code, err.innerCode);
  return ExitCodes.Error;
}
