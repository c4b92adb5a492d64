/** Domain error codes for everything that can go wrong talking to the HSM. */
export const HsmErrorCodes = {
  KeyNotFound: 'KeyNotFound',
  InvalidWrappedKey: 'InvalidWrappedKey',
  /** A digest to sign whose length does not match the algorithm; rejected before it reaches the module. */
  InvalidDigest: 'InvalidDigest',
  /** An algorithm the key cannot do (wrong family, curve or key size), or one Coffer does not know. */
  UnsupportedAlgorithm: 'UnsupportedAlgorithm',
  /** Operation input of the wrong shape (iv or tag length, wrap input size, a malformed JWK...). */
  InvalidInput: 'InvalidInput',
  /** A ciphertext that does not decrypt under the key (one generic error, whatever the cause). */
  DecryptionFailed: 'DecryptionFailed',
  /** A key id that already names key objects with other material. */
  KeyExists: 'KeyExists',
  /** The key's material cannot be wrapped, not even by the trusted backup key. */
  KeyNotExportable: 'KeyNotExportable',
  /** The token has no trusted backup wrapping key (infra/scripts/init-token.sh creates it with the SO PIN). */
  BackupKeyMissing: 'BackupKeyMissing',
  PinIncorrect: 'PinIncorrect',
  PinLocked: 'PinLocked',
  TokenNotFound: 'TokenNotFound',
  ModuleNotLoaded: 'ModuleNotLoaded',
  Closed: 'Closed',
  DeviceError: 'DeviceError',
} as const;
export type HsmErrorCode = (typeof HsmErrorCodes)[keyof typeof HsmErrorCodes];

/**
 * An HSM failure with a domain code. Messages name the operation and the PKCS#11 return value,
 * never key bytes; the original pkcs11js error stays in `cause`.
 */
export class HsmError extends Error {
  /** The CKR_* name this error came from, when it came from the module. */
  readonly ckr: string | undefined;

  constructor(
    readonly code: HsmErrorCode,
    message: string,
    options?: { cause?: unknown; ckr?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HsmError';
    this.ckr = options?.ckr;
  }
}

/** The operation a PKCS#11 call was part of; some return values only mean something in context. */
export type HsmOp =
  | 'open' | 'login' | 'find' | 'generate' | 'create' | 'wrap' | 'unwrap' | 'sign' | 'encrypt' | 'decrypt' | 'export' | 'random'
  | 'read' | 'destroy' | 'close';

const BY_CKR: Readonly<Record<string, HsmErrorCode>> = {
  CKR_WRAPPED_KEY_INVALID: HsmErrorCodes.InvalidWrappedKey,
  CKR_WRAPPED_KEY_LEN_RANGE: HsmErrorCodes.InvalidWrappedKey,
  CKR_ENCRYPTED_DATA_INVALID: HsmErrorCodes.InvalidWrappedKey,
  CKR_ENCRYPTED_DATA_LEN_RANGE: HsmErrorCodes.InvalidWrappedKey,
  CKR_OBJECT_HANDLE_INVALID: HsmErrorCodes.KeyNotFound,
  CKR_KEY_HANDLE_INVALID: HsmErrorCodes.KeyNotFound,
  CKR_WRAPPING_KEY_HANDLE_INVALID: HsmErrorCodes.KeyNotFound,
  CKR_UNWRAPPING_KEY_HANDLE_INVALID: HsmErrorCodes.KeyNotFound,
  CKR_PIN_INCORRECT: HsmErrorCodes.PinIncorrect,
  CKR_PIN_INVALID: HsmErrorCodes.PinIncorrect,
  CKR_PIN_LEN_RANGE: HsmErrorCodes.PinIncorrect,
  CKR_PIN_LOCKED: HsmErrorCodes.PinLocked,
  CKR_TOKEN_NOT_PRESENT: HsmErrorCodes.TokenNotFound,
  CKR_TOKEN_NOT_RECOGNIZED: HsmErrorCodes.TokenNotFound,
  CKR_SLOT_ID_INVALID: HsmErrorCodes.TokenNotFound,
};

/**
 * SoftHSM reports a failed AES key-wrap integrity check (wrong KEK, flipped bits) as
 * CKR_GENERAL_ERROR and an empty input as CKR_ARGUMENTS_BAD, so during an unwrap both mean the
 * wrapped bytes are not valid under this KEK.
 */
const UNWRAP_CKR: Readonly<Record<string, HsmErrorCode>> = {
  CKR_GENERAL_ERROR: HsmErrorCodes.InvalidWrappedKey,
  CKR_ARGUMENTS_BAD: HsmErrorCodes.InvalidWrappedKey,
  CKR_DATA_INVALID: HsmErrorCodes.InvalidWrappedKey,
  CKR_DATA_LEN_RANGE: HsmErrorCodes.InvalidWrappedKey,
};

/**
 * The CKR_* name at the start of a pkcs11js error message ("CKR_PIN_INCORRECT" or
 * "CKR_PIN_INCORRECT:160"), or undefined for anything else.
 */
export function ckrName(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return /^(CKR_[A-Z0-9_]+)/.exec(message)?.[1];
}

/**
 * During a decrypt every data-dependent failure is one DecryptionFailed (SoftHSM answers
 * CKR_GENERAL_ERROR for a bad RSA padding or a GCM tag mismatch): no padding oracle.
 */
const DECRYPT_CKR: Readonly<Record<string, HsmErrorCode>> = {
  CKR_GENERAL_ERROR: HsmErrorCodes.DecryptionFailed,
  CKR_ARGUMENTS_BAD: HsmErrorCodes.DecryptionFailed,
  CKR_DATA_INVALID: HsmErrorCodes.DecryptionFailed,
  CKR_DATA_LEN_RANGE: HsmErrorCodes.DecryptionFailed,
  CKR_ENCRYPTED_DATA_INVALID: HsmErrorCodes.DecryptionFailed,
  CKR_ENCRYPTED_DATA_LEN_RANGE: HsmErrorCodes.DecryptionFailed,
};

/** Wrapping a key for export: a key that refuses (not extractable, or only for a trusted key) is not exportable. */
const EXPORT_CKR: Readonly<Record<string, HsmErrorCode>> = {
  CKR_KEY_NOT_WRAPPABLE: HsmErrorCodes.KeyNotExportable,
  CKR_KEY_UNEXTRACTABLE: HsmErrorCodes.KeyNotExportable,
};

const BY_OP: Partial<Record<HsmOp, Readonly<Record<string, HsmErrorCode>>>> = { unwrap: UNWRAP_CKR, decrypt: DECRYPT_CKR, export: EXPORT_CKR };

export function hsmErrorCodeFor(ckr: string | undefined, op: HsmOp): HsmErrorCode {
  if (ckr === undefined) return HsmErrorCodes.DeviceError;
  return BY_OP[op]?.[ckr] ?? BY_CKR[ckr] ?? HsmErrorCodes.DeviceError;
}

/** Turns anything a PKCS#11 call threw into an HsmError (an HsmError passes through unchanged). */
export function toHsmError(err: unknown, op: HsmOp): HsmError {
  if (err instanceof HsmError) return err;
  const ckr = ckrName(err);
  const code = hsmErrorCodeFor(ckr, op);
  return new HsmError(code, `HSM ${op} failed: ${ckr ?? 'module error'}`, { cause: err, ckr });
}

/** Runs one PKCS#11 call, turning its failure into an HsmError for `op`. */
export function hsmCall<T>(op: HsmOp, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toHsmError(err, op);
  }
}
