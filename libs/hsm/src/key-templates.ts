import { Curve } from '@coffer/contracts';
import * as pkcs11js from 'pkcs11js';
import { CURVE_INFO } from './key-mechanisms';
import { PrivateKeyParts } from './jwk-material';

/**
 * Attribute templates of Coffer key objects. One key version's objects share the label
 * `coffer-key:<hsmKeyId>` (and a CKA_ID fresh per creation, which pairs an EC key's two halves).
 *
 * Private and secret halves are token objects, CKA_PRIVATE and CKA_SENSITIVE, and extractable only
 * by a trusted key: CKA_EXTRACTABLE with CKA_WRAP_WITH_TRUSTED, which SoftHSM honours (any other
 * wrapping key gets CKR_KEY_NOT_WRAPPABLE), so only the SO-made backup key can take them out. The
 * one exception is a certificate's exportable key (see protectedKey and the README, "How key
 * material is protected"): SoftHSM fixes CKA_WRAP_WITH_TRUSTED at creation, so it cannot be added
 * after the export, and reuse_key exports the same key again.
 */

export const KEY_LABEL_PREFIX = 'coffer-key:';
export const keyLabel = (hsmKeyId: string): string => `${KEY_LABEL_PREFIX}${hsmKeyId}`;

/** Every token object of one key version. */
export function keyObjectsTemplate(hsmKeyId: string): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: keyLabel(hsmKeyId) },
  ];
}

const t = (type: number, value: pkcs11js.Attribute['value']): pkcs11js.Attribute => ({ type, value });

/**
 * What every private or secret half carries, whichever way it was made. `exportable` (a certificate
 * policy's exportable key, DESIGN invariant 2's exception) drops CKA_WRAP_WITH_TRUSTED so that the
 * crypto-worker can export it to the caller the policy allows; it stays sensitive.
 */
function protectedKey(hsmKeyId: string, id: Buffer, exportable = false): pkcs11js.Template {
  return [
    ...keyObjectsTemplate(hsmKeyId),
    t(pkcs11js.CKA_ID, id),
    t(pkcs11js.CKA_PRIVATE, true),
    t(pkcs11js.CKA_SENSITIVE, true),
    t(pkcs11js.CKA_EXTRACTABLE, true),
    t(pkcs11js.CKA_WRAP_WITH_TRUSTED, !exportable),
    t(pkcs11js.CKA_DERIVE, false),
  ];
}

/** RSA private half: signs and decrypts (unwrapKey is a decrypt: the result goes back to the caller). */
export function rsaPrivateTemplate(hsmKeyId: string, id: Buffer, exportable = false): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_PRIVATE_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_RSA),
    ...protectedKey(hsmKeyId, id, exportable),
    t(pkcs11js.CKA_SIGN, true),
    t(pkcs11js.CKA_DECRYPT, true),
    t(pkcs11js.CKA_UNWRAP, false),
  ];
}

/** The public half C_GenerateKeyPair insists on: a session object, read and destroyed at once (n and e stay readable on the private half). */
export function rsaTransientPublicTemplate(bits: number, publicExponent: Buffer): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_PUBLIC_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_RSA),
    t(pkcs11js.CKA_TOKEN, false),
    t(pkcs11js.CKA_MODULUS_BITS, bits),
    t(pkcs11js.CKA_PUBLIC_EXPONENT, publicExponent),
    t(pkcs11js.CKA_VERIFY, true),
    t(pkcs11js.CKA_ENCRYPT, true),
  ];
}

export function ecPrivateTemplate(hsmKeyId: string, id: Buffer, exportable = false): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_PRIVATE_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_EC),
    ...protectedKey(hsmKeyId, id, exportable),
    t(pkcs11js.CKA_SIGN, true),
    t(pkcs11js.CKA_DECRYPT, false),
    t(pkcs11js.CKA_UNWRAP, false),
  ];
}

/** EC public half: a token object because the private half has no CKA_EC_POINT to read the public key from. */
export function ecPublicTemplate(hsmKeyId: string, id: Buffer, crv: Curve, point?: Buffer): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_PUBLIC_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_EC),
    ...keyObjectsTemplate(hsmKeyId),
    t(pkcs11js.CKA_ID, id),
    t(pkcs11js.CKA_PRIVATE, false),
    t(pkcs11js.CKA_EC_PARAMS, CURVE_INFO[crv].params),
    t(pkcs11js.CKA_VERIFY, true),
    t(pkcs11js.CKA_ENCRYPT, false),
    t(pkcs11js.CKA_WRAP, false),
    t(pkcs11js.CKA_DERIVE, false),
    ...(point ? [t(pkcs11js.CKA_EC_POINT, derOctetString(point))] : []),
  ];
}

/** AES key: encrypt/decrypt (GCM) and wrap/unwrap (RFC 3394 of caller bytes, via C_WrapKey). */
export function aesKeyTemplate(hsmKeyId: string, id: Buffer): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_SECRET_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_AES),
    ...protectedKey(hsmKeyId, id),
    t(pkcs11js.CKA_ENCRYPT, true),
    t(pkcs11js.CKA_DECRYPT, true),
    t(pkcs11js.CKA_WRAP, true),
    t(pkcs11js.CKA_UNWRAP, true),
    t(pkcs11js.CKA_SIGN, false),
    t(pkcs11js.CKA_VERIFY, false),
  ];
}

/** The private/secret half's template for an import (C_CreateObject) of `parts`. */
export function importTemplate(hsmKeyId: string, id: Buffer, parts: PrivateKeyParts, exportable = false): pkcs11js.Template {
  switch (parts.kty) {
    case 'RSA':
      return [
        ...rsaPrivateTemplate(hsmKeyId, id, exportable),
        t(pkcs11js.CKA_MODULUS, parts.n), t(pkcs11js.CKA_PUBLIC_EXPONENT, parts.e), t(pkcs11js.CKA_PRIVATE_EXPONENT, parts.d),
        t(pkcs11js.CKA_PRIME_1, parts.p), t(pkcs11js.CKA_PRIME_2, parts.q), t(pkcs11js.CKA_EXPONENT_1, parts.dp),
        t(pkcs11js.CKA_EXPONENT_2, parts.dq), t(pkcs11js.CKA_COEFFICIENT, parts.qi),
      ];
    case 'EC':
      return [...ecPrivateTemplate(hsmKeyId, id, exportable), t(pkcs11js.CKA_EC_PARAMS, CURVE_INFO[parts.crv].params), t(pkcs11js.CKA_VALUE, parts.d)];
    case 'oct':
      return [...aesKeyTemplate(hsmKeyId, id), t(pkcs11js.CKA_VALUE, parts.k)];
  }
}

/**
 * Caller bytes as a short-lived session object, so that C_WrapKey can AES-key-wrap them (SoftHSM
 * offers CKM_AES_KEY_WRAP only through C_WrapKey/C_UnwrapKey). Without `value` it is the template
 * C_UnwrapKey creates the unwrapped bytes under. Destroyed right after use, failures included.
 */
export function transientSecretTemplate(value?: Buffer): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_SECRET_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_GENERIC_SECRET),
    t(pkcs11js.CKA_TOKEN, false),
    t(pkcs11js.CKA_PRIVATE, true),
    t(pkcs11js.CKA_SENSITIVE, false),
    t(pkcs11js.CKA_EXTRACTABLE, true),
    ...(value ? [t(pkcs11js.CKA_VALUE, value)] : []),
  ];
}

/** A throwaway AES key (session object) that wraps an exportable key for exportPrivateKey; destroyed right after. */
export function sessionWrapKeyTemplate(value: Buffer): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_SECRET_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_AES),
    t(pkcs11js.CKA_TOKEN, false),
    t(pkcs11js.CKA_PRIVATE, true),
    t(pkcs11js.CKA_WRAP, true),
    t(pkcs11js.CKA_VALUE, value),
  ];
}

/** The template an export is unwrapped under: the same protection as a generated key. */
export function restoreTemplate(hsmKeyId: string, id: Buffer, kty: 'RSA' | 'EC' | 'oct'): pkcs11js.Template {
  if (kty === 'RSA') return rsaPrivateTemplate(hsmKeyId, id);
  if (kty === 'EC') return ecPrivateTemplate(hsmKeyId, id);
  return aesKeyTemplate(hsmKeyId, id);
}

/**
 * The token's trusted backup wrapping key: AES-256, CKA_TRUSTED (only the SO can set it), wrap and
 * unwrap only, sensitive and never extractable, a public object so the user session finds it.
 * infra/scripts/ensure-backup-key.js creates it; this is how the adapter finds it.
 */
export const BACKUP_WRAP_KEY_LABEL = 'coffer-trusted-backup';
export function backupWrapKeySearchTemplate(): pkcs11js.Template {
  return [
    t(pkcs11js.CKA_CLASS, pkcs11js.CKO_SECRET_KEY),
    t(pkcs11js.CKA_KEY_TYPE, pkcs11js.CKK_AES),
    t(pkcs11js.CKA_TOKEN, true),
    t(pkcs11js.CKA_LABEL, BACKUP_WRAP_KEY_LABEL),
    t(pkcs11js.CKA_TRUSTED, true),
  ];
}

/** DER OCTET STRING around an EC point (CKA_EC_POINT's form); points are at most 133 bytes. */
export function derOctetString(value: Buffer): Buffer {
  const length = value.length < 0x80 ? Buffer.from([value.length]) : Buffer.from([0x81, value.length]);
  return Buffer.concat([Buffer.from([0x04]), length, value]);
}
