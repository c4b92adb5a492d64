/**
 * Key types, curves, operations and algorithms, named as Azure Key Vault (JWA) names them.
 * Every key Coffer holds is HSM-backed, so replies always say RSA-HSM / EC-HSM / oct-HSM.
 */
export const KEY_TYPES_REQUESTED = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM', 'oct', 'oct-HSM'] as const;
export type RequestedKeyType = (typeof KEY_TYPES_REQUESTED)[number];
export type KeyType = 'RSA-HSM' | 'EC-HSM' | 'oct-HSM';
/** The family a requested or stored key type belongs to. */
export type KeyFamily = 'RSA' | 'EC' | 'oct';
export const keyFamilyOf = (kty: RequestedKeyType | KeyType): KeyFamily => kty.replace(/-HSM$/, '') as KeyFamily;
export const hsmKeyTypeOf = (family: KeyFamily): KeyType => `${family}-HSM` as KeyType;

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const OCT_KEY_SIZES = [128, 192, 256] as const;
export const DEFAULT_RSA_KEY_SIZE = 2048;
export const DEFAULT_OCT_KEY_SIZE = 256;
export const CURVES = ['P-256', 'P-384', 'P-521', 'P-256K'] as const;
export type Curve = (typeof CURVES)[number];
export const DEFAULT_CURVE: Curve = 'P-256';

export const KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'] as const;
export type KeyOp = (typeof KEY_OPS)[number];
/** key_ops a new key gets when the request names none. */
export const DEFAULT_KEY_OPS: Record<KeyFamily, KeyOp[]> = {
  RSA: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
  EC: ['sign', 'verify'],
  oct: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
};

export const SIGNATURE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];
export const ENCRYPTION_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'A128GCM', 'A192GCM', 'A256GCM'] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];
export const WRAP_ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5', 'A128KW', 'A192KW', 'A256KW'] as const;
export type WrapAlgorithm = (typeof WRAP_ALGORITHMS)[number];

export type DigestName = 'sha256' | 'sha384' | 'sha512';

/** What a signature algorithm needs: the key family, the digest it signs (and its length), the curve for ES*. */
export interface SignatureAlgorithmSpec {
  family: 'RSA' | 'EC';
  digest: DigestName;
  digestBytes: number;
  padding?: 'pkcs1' | 'pss';
  curve?: Curve;
}
export const SIGNATURE_SPECS: Record<SignatureAlgorithm, SignatureAlgorithmSpec> = {
  RS256: { family: 'RSA', digest: 'sha256', digestBytes: 32, padding: 'pkcs1' },
  RS384: { family: 'RSA', digest: 'sha384', digestBytes: 48, padding: 'pkcs1' },
  RS512: { family: 'RSA', digest: 'sha512', digestBytes: 64, padding: 'pkcs1' },
  PS256: { family: 'RSA', digest: 'sha256', digestBytes: 32, padding: 'pss' },
  PS384: { family: 'RSA', digest: 'sha384', digestBytes: 48, padding: 'pss' },
  PS512: { family: 'RSA', digest: 'sha512', digestBytes: 64, padding: 'pss' },
  ES256: { family: 'EC', digest: 'sha256', digestBytes: 32, curve: 'P-256' },
  ES384: { family: 'EC', digest: 'sha384', digestBytes: 48, curve: 'P-384' },
  ES512: { family: 'EC', digest: 'sha512', digestBytes: 64, curve: 'P-521' },
  ES256K: { family: 'EC', digest: 'sha256', digestBytes: 32, curve: 'P-256K' },
};

/** RSA padding of the encrypt/wrap algorithms (OAEP hash: sha1 for RSA-OAEP, sha256 for RSA-OAEP-256). */
export const RSA_CIPHER_SPECS = {
  'RSA-OAEP': { padding: 'oaep', hash: 'sha1' },
  'RSA-OAEP-256': { padding: 'oaep', hash: 'sha256' },
  RSA1_5: { padding: 'pkcs1' },
} as const;
export type RsaCipherAlgorithm = keyof typeof RSA_CIPHER_SPECS;
/** AES algorithms and the oct key size (bits) each requires. */
export const AES_GCM_KEY_BITS = { A128GCM: 128, A192GCM: 192, A256GCM: 256 } as const;
export const AES_KW_KEY_BITS = { A128KW: 128, A192KW: 192, A256KW: 256 } as const;
export type AesGcmAlgorithm = keyof typeof AES_GCM_KEY_BITS;
export type AesKwAlgorithm = keyof typeof AES_KW_KEY_BITS;
export const AES_GCM_IV_BYTES = 12;
export const AES_GCM_TAG_BYTES = 16;

export const KeyLimits = {
  randomBytesMin: 1,
  randomBytesMax: 1024,
  dataKeyBytesMin: 16,
  dataKeyBytesMax: 64,
  dataKeyBytesDefault: 32,
  batchItemsMax: 256,
  /** Largest plaintext/ciphertext accepted by one operation (base64url decoded). */
  operationValueMaxBytes: 64 * 1024,
} as const;
