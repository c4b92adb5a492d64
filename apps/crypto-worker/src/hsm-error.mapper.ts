import { CofferError, ErrorCodes, InternalSubjects } from '@coffer/contracts';
import { HsmError, HsmErrorCodes } from '@coffer/hsm';

/** Subjects of Coffer keys (`key.*` and `random`): their messages speak of keys and key versions. */
const KEY_SUBJECT_PREFIX = `${InternalSubjects.cryptoPrefix}.key.`;
const isKeySubject = (subject: string | undefined) =>
  subject !== undefined && (subject.startsWith(KEY_SUBJECT_PREFIX) || subject === InternalSubjects.crypto('random'));

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
  const keys = isKeySubject(subject);
  // Messages the adapter composed itself (no PKCS#11 return value behind them) name the problem
  // without internals and go to the caller as they are; anything from the module gets a fixed text.
  const own = (fallback: string) => (err.ckr === undefined ? err.message : fallback);
  switch (err.code) {
    case HsmErrorCodes.KeyNotFound:
      if (keys) return fail(ErrorCodes.BadParameter, 'unknown key version (no such key in the HSM)');
      return fail(ErrorCodes.BadParameter, subject !== undefined && SIGNING_SUBJECTS.has(subject) ? 'unknown signing key' : 'unknown key-encryption key');
    case HsmErrorCodes.InvalidWrappedKey:
      if (keys) return fail(ErrorCodes.BadParameter, own('the wrapped key does not unwrap under this key'));
      return fail(ErrorCodes.BadParameter, 'the wrapped key is not valid under this key-encryption key');
    case HsmErrorCodes.InvalidDigest:
      if (keys) return fail(ErrorCodes.BadParameter, own('the digest has the wrong length for the algorithm'));
      return fail(ErrorCodes.BadParameter, 'digest must be a 32-byte SHA-256 digest');
    case HsmErrorCodes.UnsupportedAlgorithm:
      return fail(ErrorCodes.BadParameter, own('the key does not support this algorithm'));
    case HsmErrorCodes.InvalidInput:
      return fail(ErrorCodes.BadParameter, own('the operation input is not valid'));
    case HsmErrorCodes.DecryptionFailed:
      // One message for every cause: no padding or tag oracle.
      return fail(ErrorCodes.BadParameter, 'the ciphertext does not decrypt under this key');
    case HsmErrorCodes.KeyExists:
      return fail(ErrorCodes.Conflict, 'the key version already exists in the HSM with other key material');
    case HsmErrorCodes.KeyNotExportable:
      return fail(ErrorCodes.BadParameter, 'the key material cannot be exported (it is not extractable, not even by the trusted backup key)');
    case HsmErrorCodes.BackupKeyMissing:
      return fail(ErrorCodes.ServiceUnavailable, 'the HSM token has no trusted backup wrapping key');
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

const CALLER_MISTAKES: ReadonlySet<string> = new Set([
  HsmErrorCodes.KeyNotFound, HsmErrorCodes.InvalidWrappedKey, HsmErrorCodes.InvalidDigest, HsmErrorCodes.UnsupportedAlgorithm,
  HsmErrorCodes.InvalidInput, HsmErrorCodes.DecryptionFailed, HsmErrorCodes.KeyExists, HsmErrorCodes.KeyNotExportable,
]);

/** Device-side failures are worth an operator's attention; caller mistakes are not. */
export function isDeviceFailure(err: unknown): err is HsmError {
  return err instanceof HsmError && !CALLER_MISTAKES.has(err.code);
}
