import { CofferError, ErrorCodes } from '@coffer/contracts';
import { HsmError, HsmErrorCodes } from '@coffer/hsm';

/**
 * What a caller of the crypto-worker sees for an HSM failure. Caller mistakes (unknown KEK, bytes
 * that are not a key wrapped by it) are BadParameter; everything about the device is
 * ServiceUnavailable. The HsmError code travels as innererror.code so the vault can tell them
 * apart without parsing messages. Anything that is not an HsmError is returned unchanged.
 */
export function hsmErrorToCoffer(err: unknown): unknown {
  if (!(err instanceof HsmError)) return err;
  const fail = (code: CofferError['code'], message: string) => new CofferError(code, message, err.code, { cause: err });
  switch (err.code) {
    case HsmErrorCodes.KeyNotFound:
      return fail(ErrorCodes.BadParameter, 'unknown key-encryption key');
    case HsmErrorCodes.InvalidWrappedKey:
      return fail(ErrorCodes.BadParameter, 'the wrapped key is not valid under this key-encryption key');
    case HsmErrorCodes.PinIncorrect:
    case HsmErrorCodes.PinLocked:
    case HsmErrorCodes.TokenNotFound:
    case HsmErrorCodes.ModuleNotLoaded:
    case HsmErrorCodes.Closed:
    case HsmErrorCodes.DeviceError:
      return fail(ErrorCodes.ServiceUnavailable, 'the HSM is unavailable');
  }
}

/** Device-side failures are worth an operator's attention; caller mistakes are not. */
export function isDeviceFailure(err: unknown): err is HsmError {
  return err instanceof HsmError && err.code !== HsmErrorCodes.KeyNotFound && err.code !== HsmErrorCodes.InvalidWrappedKey;
}
