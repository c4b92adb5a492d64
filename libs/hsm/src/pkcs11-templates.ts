import * as pkcs11js from 'pkcs11js';

/** Data keys are AES-256. */
export const DATA_KEY_BYTES = 32;

/** AES key wrap with padding (RFC 5649): output is the input rounded up to 8 bytes, plus 8. */
export const WRAP_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD };
export const KEYGEN_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_GEN };

export const KEK_LABEL_PREFIX = 'coffer-kek:';
export const kekLabel = (kekId: string): string => `${KEK_LABEL_PREFIX}${kekId}`;

/** What identifies a KEK on the token (used to find it). */
export function kekSearchTemplate(kekId: string): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: kekLabel(kekId) },
  ];
}

/** A KEK: a persistent AES-256 key that can only wrap and unwrap, and never leaves the HSM. */
export function kekTemplate(kekId: string): pkcs11js.Template {
  return [
    ...kekSearchTemplate(kekId),
    { type: pkcs11js.CKA_ID, value: Buffer.from(kekId, 'utf8') },
    { type: pkcs11js.CKA_VALUE_LEN, value: DATA_KEY_BYTES },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_WRAP, value: true },
    { type: pkcs11js.CKA_UNWRAP, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_DECRYPT, value: false },
  ];
}

/**
 * A data key as a session object: readable (its value is handed to the caller) and extractable
 * (so the KEK can wrap it). It lives only as long as one operation.
 */
export function sessionDataKeyTemplate(): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_SENSITIVE, value: false },
    { type: pkcs11js.CKA_EXTRACTABLE, value: true },
  ];
}

export function generatedDataKeyTemplate(): pkcs11js.Template {
  return [...sessionDataKeyTemplate(), { type: pkcs11js.CKA_VALUE_LEN, value: DATA_KEY_BYTES }];
}

/**
 * Whether `wrapped` can be an RFC 5649 output at all (a multiple of 8 bytes, at least 16); anything
 * else is rejected before it reaches the module. The upper bound keeps absurd inputs away too.
 */
export const MAX_WRAPPED_BYTES = 1024;
export function plausibleWrappedLength(length: number): boolean {
  return length >= 16 && length <= MAX_WRAPPED_BYTES && length % 8 === 0;
}
