import { CofferError, ErrorCodes, InternalSubjects } from '@coffer/contracts';
import { HsmError, HsmErrorCodes } from '@coffer/hsm';

/** Subjects whose keyId names a signing key rather than a key-encryption key. */
const SIGNING_SUBJECTS: ReadonlySet<string> = new Set([InternalSubjects.crypto('signingkey.ensure'), InternalSubjects.crypto('sign')]);

/**
 * What a caller of the crypto-worker sees for an HSM failure. Caller mistakes (unknown key, bytes
 * that are not a key wrapped by it, a digest of the wrong size) are BadParameter; everything about
 * the device is ServiceUnavailable. The HsmError code travels as innererror.code so the vault can
 * tell them apart without parsing messages. `subject` (the request's) only picks the wording of an
 * unknown key. Anything that is not an HsmError is returned unchanged.
 */
export function hsmErrorToCoffer(err: unknown, subject?: string): unknown {
  if (!(err instanceof HsmError)) return err;
  const fail = (code: CofferError['code'], message: string) => new CofferError(code, message, err.code, { cause: err });
  switch (err.code) {
    case HsmErrorCodes.KeyNotFound:
      return fail(ErrorCodes.BadParameter, subject !== undefined && SIGNING_SUBJECTS.has(subject) ? 'unknown signing key' : 'unknown key-encryption key');
    case HsmErrorCodes.InvalidWrappedKey:
      return fail(ErrorCodes.BadParameter, 'the wrapped key is not valid under this key-encryption key');
    case HsmErrorCodes.InvalidDigest:
      return fail(ErrorCodes.BadParameter, 'digest must be a 32-byte SHA-256 digest');
    case HsmErrorCodes.PinIncorrect:
    case HsmErrorCodes.PinLocked:
    case HsmErrorCodes.TokenNotFound:
    case HsmErrorCodes.ModuleNotLoaded:
    case HsmErrorCodes.Closed:
    case HsmErrorCodes.DeviceError:
      return fail(ErrorCodes.ServiceUnavailable, 'the HSM is unavailable');
    default:
      return assertNever(err.code);
  }
}

function assertNever(code: never): never {
  throw new Error(`unmapped HSM error code ${String(code)}`);
}

const CALLER_MISTAKES: ReadonlySet<string> = new Set([HsmErrorCodes.KeyNotFound, HsmErrorCodes.InvalidWrappedKey, HsmErrorCodes.InvalidDigest]);

/** Device-side failures are worth an operator's attention; caller mistakes are not. */
export function isDeviceFailure(err: unknown): err is HsmError {
  return err instanceof HsmError && !CALLER_MISTAKES.has(err.code);
}
