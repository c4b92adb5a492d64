import {
  AES_GCM_IV_BYTES, AES_GCM_KEY_BITS, AES_GCM_TAG_BYTES, AES_KW_KEY_BITS, AesGcmAlgorithm, AesKwAlgorithm, badParameter, CofferError,
  Curve, EncryptionAlgorithm, ErrorCodes, InnerErrorCodes, KeyFamily, keyFamilyOf, KeyOp, KeyType, KeyVersionAttributes,
  RSA_CIPHER_SPECS, RsaCipherAlgorithm, SIGNATURE_SPECS, SignatureAlgorithm, SignatureAlgorithmSpec, WrapAlgorithm,
} from '@coffer/contracts';

/** The parts of a key version the operation rules look at. */
export interface OperableKey {
  version: string;
  kty: KeyType;
  keySize?: number;
  crv?: Curve;
  keyOps: readonly KeyOp[];
  attributes: KeyVersionAttributes;
}

/** Operations that create protected data; Azure refuses them outside nbf..exp but still undoes/checks old data. */
const PRODUCING_OPS: ReadonlySet<KeyOp> = new Set<KeyOp>(['encrypt', 'sign', 'wrapKey']);

const forbidden = (message: string, inner: string) => new CofferError(ErrorCodes.Forbidden, message, inner);
const unsupported = (alg: string, key: OperableKey, why: string) =>
  badParameter(`Algorithm ${alg} cannot be used with key version ${key.version} (${key.kty}${key.crv ? ` ${key.crv}` : ''}${key.keySize ? ` ${key.keySize}` : ''}): ${why}.`, InnerErrorCodes.AlgorithmNotSupported);

/**
 * May this key version perform `op` now? Disabled keys refuse everything; an operation missing from
 * key_ops is refused; expired or not-yet-valid keys refuse encrypt/sign/wrapKey but still allow
 * decrypt/verify/unwrapKey, so data protected before expiry stays usable (as Azure).
 */
export function assertKeyPermits(key: OperableKey, op: KeyOp, now: Date): void {
  if (!key.attributes.enabled) throw forbidden(`Operation ${op} is not allowed on a disabled key (version ${key.version}).`, InnerErrorCodes.KeyDisabled);
  if (!key.keyOps.includes(op)) {
    throw forbidden(`Operation ${op} is not permitted on this key: its key_ops are ${key.keyOps.join(', ') || 'empty'}.`, InnerErrorCodes.KeyOperationNotAllowed);
  }
  if (!PRODUCING_OPS.has(op)) return;
  const at = now.toISOString();
  if (key.attributes.exp && at >= key.attributes.exp) {
    throw forbidden(`Operation ${op} is not allowed on an expired key (expired ${key.attributes.exp}).`, InnerErrorCodes.KeyExpired);
  }
  if (key.attributes.nbf && at < key.attributes.nbf) {
    throw forbidden(`Operation ${op} is not allowed before the key is valid (nbf ${key.attributes.nbf}).`, InnerErrorCodes.KeyNotYetValid);
  }
}

const familyOf = (key: OperableKey): KeyFamily => keyFamilyOf(key.kty);

/** The signature algorithm's spec, when it fits the key (family and, for ES*, the curve). */
export function signatureSpecFor(alg: SignatureAlgorithm, key: OperableKey): SignatureAlgorithmSpec {
  const spec = SIGNATURE_SPECS[alg];
  if (!spec) throw unsupported(alg, key, 'not a signature algorithm');
  if (spec.family !== familyOf(key)) throw unsupported(alg, key, `it needs an ${spec.family} key`);
  if (spec.curve && spec.curve !== key.crv) throw unsupported(alg, key, `it needs curve ${spec.curve}`);
  return spec;
}

/** Signing and verifying work on a digest the caller made; its length must be the algorithm's. */
export function assertDigestLength(alg: SignatureAlgorithm, digest: Uint8Array): void {
  const { digestBytes, digest: name } = SIGNATURE_SPECS[alg];
  if (digest.length !== digestBytes) {
    throw badParameter(`${alg} signs a ${name.toUpperCase()} digest of ${digestBytes} bytes; got ${digest.length} bytes.`, InnerErrorCodes.InvalidDigestLength);
  }
}

export type CipherSpec =
  | { kind: 'rsa'; alg: RsaCipherAlgorithm; padding: 'oaep' | 'pkcs1'; hash?: 'sha1' | 'sha256' }
  | { kind: 'aes-gcm'; alg: AesGcmAlgorithm; bits: number }
  | { kind: 'aes-kw'; alg: AesKwAlgorithm; bits: number };

function rsaSpec(alg: RsaCipherAlgorithm): CipherSpec {
  const s = RSA_CIPHER_SPECS[alg];
  return { kind: 'rsa', alg, padding: s.padding, ...('hash' in s && { hash: s.hash }) };
}

function aesFits(alg: string, bits: number, key: OperableKey): void {
  if (familyOf(key) !== 'oct') throw unsupported(alg, key, 'it needs an oct key');
  if (key.keySize !== bits) throw unsupported(alg, key, `it needs a ${bits}-bit key`);
}

/** encrypt/decrypt: RSA-OAEP, RSA-OAEP-256, RSA1_5 on RSA keys; A*GCM on oct keys of that size. */
export function encryptionSpecFor(alg: EncryptionAlgorithm, key: OperableKey): CipherSpec {
  if (alg in RSA_CIPHER_SPECS) {
    if (familyOf(key) !== 'RSA') throw unsupported(alg, key, 'it needs an RSA key');
    return rsaSpec(alg as RsaCipherAlgorithm);
  }
  if (alg in AES_GCM_KEY_BITS) {
    const bits = AES_GCM_KEY_BITS[alg as AesGcmAlgorithm];
    aesFits(alg, bits, key);
    return { kind: 'aes-gcm', alg: alg as AesGcmAlgorithm, bits };
  }
  throw unsupported(alg, key, 'not an encryption algorithm');
}

/** wrapKey/unwrapKey: the RSA algorithms on RSA keys; A*KW on oct keys of that size. */
export function wrapSpecFor(alg: WrapAlgorithm, key: OperableKey): CipherSpec {
  if (alg in RSA_CIPHER_SPECS) {
    if (familyOf(key) !== 'RSA') throw unsupported(alg, key, 'it needs an RSA key');
    return rsaSpec(alg as RsaCipherAlgorithm);
  }
  if (alg in AES_KW_KEY_BITS) {
    const bits = AES_KW_KEY_BITS[alg as AesKwAlgorithm];
    aesFits(alg, bits, key);
    return { kind: 'aes-kw', alg: alg as AesKwAlgorithm, bits };
  }
  throw unsupported(alg, key, 'not a key-wrap algorithm');
}

const HASH_BYTES = { sha1: 20, sha256: 32 } as const;

/** The largest plaintext RSA encryption takes with this padding (RFC 8017: OAEP k−2h−2, PKCS#1 v1.5 k−11). */
export function rsaMaxPlaintextBytes(spec: Extract<CipherSpec, { kind: 'rsa' }>, modulusBits: number): number {
  const k = Math.ceil(modulusBits / 8);
  return spec.padding === 'oaep' ? k - 2 * HASH_BYTES[spec.hash ?? 'sha1'] - 2 : k - 11;
}

export function assertRsaPlaintextFits(spec: Extract<CipherSpec, { kind: 'rsa' }>, modulusBits: number, plaintext: Uint8Array): void {
  const max = rsaMaxPlaintextBytes(spec, modulusBits);
  if (plaintext.length > max) {
    throw badParameter(`${spec.alg} with a ${modulusBits}-bit key takes at most ${max} bytes; got ${plaintext.length}.`, InnerErrorCodes.ValueTooLarge);
  }
}

/** AES-GCM decryption needs the iv and tag that encryption returned, at their fixed sizes. */
export function assertGcmDecryptParameters(iv: Uint8Array | undefined, tag: Uint8Array | undefined): void {
  if (!iv || !tag) throw badParameter(`AES-GCM decryption needs ${[!iv && 'iv', !tag && 'tag'].filter(Boolean).join(' and ')}.`, InnerErrorCodes.MissingParameter);
  if (iv.length !== AES_GCM_IV_BYTES) throw badParameter(`iv must be ${AES_GCM_IV_BYTES} bytes; got ${iv.length}.`);
  if (tag.length !== AES_GCM_TAG_BYTES) throw badParameter(`tag must be ${AES_GCM_TAG_BYTES} bytes; got ${tag.length}.`);
}

/** iv and tag belong to AES-GCM decryption only; elsewhere they are a mistake worth naming. */
export function assertNoGcmParameters(alg: string, fields: Record<string, unknown>): void {
  const present = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (present.length > 0) throw badParameter(`${present.join(' and ')} do not apply to ${alg}.`);
}
