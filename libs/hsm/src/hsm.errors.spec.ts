import { HsmError, HsmErrorCodes, ckrName, hsmErrorCodeFor, toHsmError } from './hsm.errors';

/** pkcs11js errors carry the CKR name first: "CKR_X" or, before it rewrites them, "CKR_X:123". */
const pkcs11Error = (message: string) => Object.assign(new Error(message), { name: 'Pkcs11Error' });

describe('ckrName', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 'CKR_PIN_INCORRECT'],
    ['CKR_WRAPPED_KEY_LEN_RANGE:65', 'CKR_WRAPPED_KEY_LEN_RANGE'],
    ['CKR_GENERAL_ERROR\n    at PKCS11.C_UnwrapKey (native)', 'CKR_GENERAL_ERROR'],
  ])('reads %j as %s', (message, name) => expect(ckrName(pkcs11Error(message))).toBe(name));

  it('is undefined for errors that are not PKCS#11 return values', () => {
    expect(ckrName(new Error('dlopen failed'))).toBeUndefined();
    expect(ckrName(new Error('see CKR_PIN_INCORRECT'))).toBeUndefined();
    expect(ckrName(42)).toBeUndefined();
  });
});

describe('hsmErrorCodeFor', () => {
  it.each([
    ['CKR_WRAPPED_KEY_INVALID', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_WRAPPED_KEY_LEN_RANGE', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_ENCRYPTED_DATA_INVALID', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_ENCRYPTED_DATA_LEN_RANGE', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_GENERAL_ERROR', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_ARGUMENTS_BAD', 'unwrap', HsmErrorCodes.InvalidWrappedKey],
    ['CKR_UNWRAPPING_KEY_HANDLE_INVALID', 'unwrap', HsmErrorCodes.KeyNotFound],
    ['CKR_GENERAL_ERROR', 'decrypt', HsmErrorCodes.DecryptionFailed],
    ['CKR_ENCRYPTED_DATA_INVALID', 'decrypt', HsmErrorCodes.DecryptionFailed],
    ['CKR_ARGUMENTS_BAD', 'decrypt', HsmErrorCodes.DecryptionFailed],
    ['CKR_KEY_NOT_WRAPPABLE', 'export', HsmErrorCodes.KeyNotExportable],
    ['CKR_KEY_UNEXTRACTABLE', 'export', HsmErrorCodes.KeyNotExportable],
    ['CKR_GENERAL_ERROR', 'sign', HsmErrorCodes.DeviceError],
    ['CKR_KEY_NOT_WRAPPABLE', 'wrap', HsmErrorCodes.DeviceError],
    ['CKR_OBJECT_HANDLE_INVALID', 'wrap', HsmErrorCodes.KeyNotFound],
    ['CKR_KEY_HANDLE_INVALID', 'wrap', HsmErrorCodes.KeyNotFound],
    ['CKR_KEY_HANDLE_INVALID', 'sign', HsmErrorCodes.KeyNotFound],
    ['CKR_GENERAL_ERROR', 'sign', HsmErrorCodes.DeviceError],
    ['CKR_PIN_INCORRECT', 'login', HsmErrorCodes.PinIncorrect],
    ['CKR_PIN_LEN_RANGE', 'login', HsmErrorCodes.PinIncorrect],
    ['CKR_PIN_LOCKED', 'login', HsmErrorCodes.PinLocked],
    ['CKR_TOKEN_NOT_PRESENT', 'open', HsmErrorCodes.TokenNotFound],
    ['CKR_SLOT_ID_INVALID', 'open', HsmErrorCodes.TokenNotFound],
    ['CKR_DEVICE_ERROR', 'generate', HsmErrorCodes.DeviceError],
    ['CKR_SESSION_HANDLE_INVALID', 'wrap', HsmErrorCodes.DeviceError],
  ] as const)('%s during %s is %s', (ckr, op, code) => expect(hsmErrorCodeFor(ckr, op)).toBe(code));

  it('treats CKR_GENERAL_ERROR outside an unwrap as a device error', () => {
    expect(hsmErrorCodeFor('CKR_GENERAL_ERROR', 'generate')).toBe(HsmErrorCodes.DeviceError);
    expect(hsmErrorCodeFor('CKR_ARGUMENTS_BAD', 'wrap')).toBe(HsmErrorCodes.DeviceError);
  });

  it('treats a non-PKCS#11 failure as a device error', () => {
    expect(hsmErrorCodeFor(undefined, 'unwrap')).toBe(HsmErrorCodes.DeviceError);
  });
});

describe('toHsmError', () => {
  it('keeps the original error as cause and names op and return value', () => {
    const original = pkcs11Error('CKR_PIN_INCORRECT');
    const err = toHsmError(original, 'login');
    expect(err).toBeInstanceOf(HsmError);
    expect(err).toMatchObject({ code: HsmErrorCodes.PinIncorrect, ckr: 'CKR_PIN_INCORRECT', cause: original });
    expect(err.message).toBe('HSM login failed: CKR_PIN_INCORRECT');
  });

  it('passes an HsmError through unchanged', () => {
    const err = new HsmError(HsmErrorCodes.KeyNotFound, 'unknown key-encryption key');
    expect(toHsmError(err, 'unwrap')).toBe(err);
  });

  it('does not copy the module message (which could carry anything) into its own', () => {
    const err = toHsmError(new Error('internal detail 00112233'), 'generate');
    expect(err.message).toBe('HSM generate failed: module error');
  });
});
