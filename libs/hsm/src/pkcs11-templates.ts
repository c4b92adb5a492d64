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

/** EC key pair generation and raw ECDSA (SoftHSM has no CKM_ECDSA_SHA256: the caller hashes). */
export const EC_KEYGEN_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN };
export const ECDSA_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_ECDSA };

/** DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), the CKA_EC_PARAMS value. */
export const P256_EC_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
/** Bytes of one P-256 coordinate, and of r and s in a signature. */
export const P256_FIELD_BYTES = 32;
/** Signing keys sign SHA-256 digests. */
export const SIGN_DIGEST_BYTES = 32;

export const SIGNING_KEY_LABEL_PREFIX = 'coffer-sign:';
export const signingKeyLabel = (keyId: string): string => `${SIGNING_KEY_LABEL_PREFIX}${keyId}`;

/** What identifies one half (public or private) of a signing key pair on the token. */
export function signingKeySearchTemplate(keyId: string, half: 'public' | 'private'): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: half === 'public' ? pkcs11js.CKO_PUBLIC_KEY : pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: signingKeyLabel(keyId) },
  ];
}

/**
 * The public half of a signing key pair: a persistent P-256 key that can only verify. `pairId` is
 * the CKA_ID both halves share; it is fresh per pair so that the halves of one pair can be told
 * from another pair's if two processes ever generate one under the same label at once.
 */
export function signingPublicKeyTemplate(keyId: string, pairId: Buffer): pkcs11js.Template {
  return [
    ...signingKeySearchTemplate(keyId, 'public'),
    { type: pkcs11js.CKA_ID, value: pairId },
    { type: pkcs11js.CKA_EC_PARAMS, value: P256_EC_PARAMS },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_VERIFY, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
}

/** The private half: persistent, private, sensitive, never extractable, and able only to sign. */
export function signingPrivateKeyTemplate(keyId: string, pairId: Buffer): pkcs11js.Template {
  return [
    ...signingKeySearchTemplate(keyId, 'private'),
    { type: pkcs11js.CKA_ID, value: pairId },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    { type: pkcs11js.CKA_DECRYPT, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
}

/** Keyed hashes (HMAC-SHA256) under a generic secret key of 256 bits. */
export const MAC_KEYGEN_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_GENERIC_SECRET_KEY_GEN };
export const HMAC_MECHANISM: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_SHA256_HMAC };
export const MAC_KEY_BYTES = 32;
export const MAC_BYTES = 32;

export const MAC_KEY_LABEL_PREFIX = 'coffer-mac:';
export const macKeyLabel = (keyId: string): string => `${MAC_KEY_LABEL_PREFIX}${keyId}`;

/** What identifies a MAC key on the token. */
export function macKeySearchTemplate(keyId: string): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: macKeyLabel(keyId) },
  ];
}

/**
 * A MAC key: persistent, private, sensitive, never extractable, able only to sign and verify (HMAC).
 * `id` (CKA_ID) is fresh per key, so every process picks the same one should two ever be created at once.
 */
export function macKeyTemplate(keyId: string, id: Buffer): pkcs11js.Template {
  return [
    ...macKeySearchTemplate(keyId),
    { type: pkcs11js.CKA_ID, value: id },
    { type: pkcs11js.CKA_VALUE_LEN, value: MAC_KEY_BYTES },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    { type: pkcs11js.CKA_VERIFY, value: true },
    { type: pkcs11js.CKA_ENCRYPT, value: false },
    { type: pkcs11js.CKA_DECRYPT, value: false },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
}
