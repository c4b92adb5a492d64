import { CofferError, ErrorCodes, InternalSubjects } from '@coffer/contracts';
import { HsmError, HsmErrorCode, HsmErrorCodes } from '@coffer/hsm';
import { hsmErrorToCoffer, isDeviceFailure } from './hsm-error.mapper';

describe('hsmErrorToCoffer', () => {
  it('reports an unknown KEK as BadParameter with a clear message', () => {
    const mapped = hsmErrorToCoffer(new HsmError(HsmErrorCodes.KeyNotFound, 'x')) as CofferError;
    expect(mapped).toBeInstanceOf(CofferError);
    expect(mapped.toWire()).toEqual({
      code: ErrorCodes.BadParameter,
      message: 'unknown key-encryption key',
      innererror: { code: 'KeyNotFound' },
    });
  });

  it('reports bytes that do not unwrap as BadParameter', () => {
    const mapped = hsmErrorToCoffer(new HsmError(HsmErrorCodes.InvalidWrappedKey, 'x')) as CofferError;
    expect(mapped.toWire()).toMatchObject({ code: ErrorCodes.BadParameter, innererror: { code: 'InvalidWrappedKey' } });
  });

  it('names an unknown signing key as such on the signing subjects', () => {
    for (const op of ['sign', 'signingkey.ensure'] as const) {
      const mapped = hsmErrorToCoffer(new HsmError(HsmErrorCodes.KeyNotFound, 'x'), InternalSubjects.crypto(op)) as CofferError;
      expect(mapped.toWire()).toEqual({ code: ErrorCodes.BadParameter, message: 'unknown signing key', innererror: { code: 'KeyNotFound' } });
    }
    const kek = hsmErrorToCoffer(new HsmError(HsmErrorCodes.KeyNotFound, 'x'), InternalSubjects.crypto('datakey.generate')) as CofferError;
    expect(kek.message).toBe('unknown key-encryption key');
  });

  it('reports a digest of the wrong size as BadParameter, not a device failure', () => {
    const err = new HsmError(HsmErrorCodes.InvalidDigest, 'x');
    const mapped = hsmErrorToCoffer(err) as CofferError;
    expect(mapped.toWire()).toEqual({
      code: ErrorCodes.BadParameter,
      message: 'digest must be a 32-byte SHA-256 digest',
      innererror: { code: 'InvalidDigest' },
    });
    expect(isDeviceFailure(err)).toBe(false);
  });

  it.each(['PinIncorrect', 'PinLocked', 'TokenNotFound', 'ModuleNotLoaded', 'Closed', 'DeviceError'] as HsmErrorCode[])(
    '%s is ServiceUnavailable and logged as a device failure',
    (code) => {
      const err = new HsmError(code, 'HSM wrap failed: CKR_DEVICE_ERROR');
      const mapped = hsmErrorToCoffer(err) as CofferError;
      expect(mapped.code).toBe(ErrorCodes.ServiceUnavailable);
      expect(mapped.message).toBe('the HSM is unavailable');
      expect(mapped.cause).toBe(err);
      expect(isDeviceFailure(err)).toBe(true);
    },
  );

  it('leaves other errors alone', () => {
    const other = new Error('boom');
    expect(hsmErrorToCoffer(other)).toBe(other);
    expect(isDeviceFailure(other)).toBe(false);
    expect(isDeviceFailure(new HsmError(HsmErrorCodes.KeyNotFound, 'x'))).toBe(false);
  });
});
