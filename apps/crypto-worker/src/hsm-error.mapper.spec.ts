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

  describe('on the key subjects', () => {
    const on = (err: HsmError, op: 'key.sign' | 'key.decrypt' | 'key.export' | 'random' = 'key.sign') =>
      (hsmErrorToCoffer(err, InternalSubjects.crypto(op)) as CofferError).toWire();

    it('passes the adapter\'s own messages through, but never a PKCS#11 return value', () => {
      expect(on(new HsmError(HsmErrorCodes.InvalidDigest, 'ES384 signs a 48-byte sha384 digest (got 32 bytes)'))).toEqual({
        code: ErrorCodes.BadParameter, message: 'ES384 signs a 48-byte sha384 digest (got 32 bytes)', innererror: { code: 'InvalidDigest' },
      });
      expect(on(new HsmError(HsmErrorCodes.UnsupportedAlgorithm, 'HSM sign failed: CKR_MECHANISM_INVALID', { ckr: 'CKR_MECHANISM_INVALID' })).message).not.toMatch(/CKR_/);
      expect(on(new HsmError(HsmErrorCodes.InvalidInput, 'count must be an integer from 1 to 1024'), 'random').message).toMatch(/count/);
    });

    it('gives one message for every decryption failure', () => {
      const a = on(new HsmError(HsmErrorCodes.DecryptionFailed, 'x', { ckr: 'CKR_GENERAL_ERROR' }), 'key.decrypt');
      const b = on(new HsmError(HsmErrorCodes.DecryptionFailed, 'y'), 'key.decrypt');
      expect(a).toEqual(b);
      expect(a).toMatchObject({ code: ErrorCodes.BadParameter, innererror: { code: 'DecryptionFailed' } });
    });

    it('names an unknown key version; a key that exists with other material is a Conflict', () => {
      expect(on(new HsmError(HsmErrorCodes.KeyNotFound, 'x'))).toMatchObject({ code: ErrorCodes.BadParameter, message: expect.stringMatching(/unknown key version/) });
      expect(on(new HsmError(HsmErrorCodes.KeyExists, 'x'))).toMatchObject({ code: ErrorCodes.Conflict, innererror: { code: 'KeyExists' } });
      expect(on(new HsmError(HsmErrorCodes.KeyNotExportable, 'x'), 'key.export')).toMatchObject({ code: ErrorCodes.BadParameter, innererror: { code: 'KeyNotExportable' } });
    });

    it('a missing trusted backup key is the deployment\'s problem: ServiceUnavailable, logged', () => {
      const err = new HsmError(HsmErrorCodes.BackupKeyMissing, 'x');
      expect(on(err, 'key.export')).toMatchObject({ code: ErrorCodes.ServiceUnavailable, innererror: { code: 'BackupKeyMissing' } });
      expect(isDeviceFailure(err)).toBe(true);
      expect(isDeviceFailure(new HsmError(HsmErrorCodes.DecryptionFailed, 'x'))).toBe(false);
    });
  });
});
