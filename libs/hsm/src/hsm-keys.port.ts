import {
  Curve, EncryptionAlgorithm, KeyFamily, PublicKeyMaterial, SignatureAlgorithm, WrapAlgorithm,
} from '@coffer/contracts';
import { HsmError } from './hsm.errors';

/**
 * Coffer keys (Azure Key Vault's RSA/EC/oct keys) as the crypto-worker sees them. One key version
 * is named by its hsmKeyId (`<vault>/<name>/<version>`); its private or secret half is generated or
 * imported inside the HSM, always sensitive, and leaves it only wrapped by the token's trusted
 * backup key (exportKey). Every method rejects with an HsmError: KeyNotFound for an hsmKeyId with no
 * objects, UnsupportedAlgorithm when the key cannot do `alg`, InvalidDigest / InvalidInput for
 * malformed input, DecryptionFailed / InvalidWrappedKey for bytes that do not decrypt. Plaintext
 * buffers a method returns belong to the caller (zero them when done).
 */
export interface HsmKeysPort {
  /** Generates the key inside the HSM; an identical retry for the same hsmKeyId answers the existing key. */
  generateKey(hsmKeyId: string, spec: KeyGenerationSpec): Promise<PublicKeyMaterial>;
  /** BYOK: a private JWK (RSA with CRT members, EC, oct; base64url members) imported under the same protection. */
  /** `exportable`: as KeyGenerationSpec's (an imported certificate whose policy makes its key exportable). */
  importKey(hsmKeyId: string, jwk: Readonly<Record<string, unknown>>, options?: { exportable?: boolean }): Promise<PublicKeyMaterial>;
  publicKey(hsmKeyId: string): Promise<PublicKeyMaterial>;
  /** RS/PS/ES over a digest the caller computed; EC signatures are r‖s, each half the curve's field width. */
  sign(hsmKeyId: string, alg: SignatureAlgorithm, digest: Buffer): Promise<Buffer>;
  /** RSA: in software on the key's public half; AES-GCM: in the HSM with a fresh 12-byte IV from it. */
  encrypt(hsmKeyId: string, alg: EncryptionAlgorithm, plaintext: Buffer, aad?: Buffer): Promise<EncryptResult>;
  decrypt(hsmKeyId: string, alg: EncryptionAlgorithm, input: DecryptInput): Promise<Buffer>;
  /** Wraps caller bytes (a key of the caller's): RSA like encrypt, A*KW with RFC 3394 in the HSM. */
  wrapKey(hsmKeyId: string, alg: WrapAlgorithm, key: Buffer): Promise<Buffer>;
  unwrapKey(hsmKeyId: string, alg: WrapAlgorithm, wrapped: Buffer): Promise<Buffer>;
  /**
   * unwrapKey under `fromHsmKeyId`, wrapKey under `toHsmKeyId`, without the plaintext leaving this
   * process (zeroed after use). For an RSA target `toPublicKey`, when given, must be the target's.
   */
  rewrap(fromHsmKeyId: string, toHsmKeyId: string, alg: WrapAlgorithm, wrapped: Buffer, toPublicKey?: PublicKeyMaterial): Promise<Buffer>;
  /** Many signatures with one key (RSA in parallel over the async sessions); item failures are returned, not thrown. */
  signBatch(hsmKeyId: string, alg: SignatureAlgorithm, digests: readonly Buffer[]): Promise<Array<Buffer | HsmError>>;
  encryptBatch(hsmKeyId: string, alg: EncryptionAlgorithm, items: ReadonlyArray<{ value: Buffer; aad?: Buffer }>): Promise<Array<EncryptResult | HsmError>>;
  /** Destroys every object of every given key version (idempotent); resolves with how many objects went. */
  destroyKeys(hsmKeyIds: readonly string[]): Promise<number>;
  /** The private/secret half wrapped by the trusted backup key (CKM_AES_KEY_WRAP_PAD; private keys as PKCS#8). */
  exportKey(hsmKeyId: string): Promise<ExportedKey>;
  /** PKCS#8 of an RSA/EC key generated `exportable` (certificate policies); any other key: KeyNotExportable. Zero it when done. */
  exportPrivateKey(hsmKeyId: string): Promise<Buffer>;
  /** Unwraps an export into token objects with the same protection; the material must match `publicKey`. */
  restoreKey(hsmKeyId: string, exported: ExportedKey): Promise<PublicKeyMaterial>;
  /** 1–1024 bytes from the HSM's generator. */
  randomBytes(count: number): Promise<Buffer>;
}

export interface KeyGenerationSpec {
  kty: KeyFamily;
  /** RSA modulus bits or oct key bits. */
  size?: number;
  publicExponent?: number;
  crv?: Curve;
  /** Private half wrappable by any key, for exportPrivateKey (a certificate policy's exportable key); default false. */
  exportable?: boolean;
}

export interface EncryptResult {
  value: Buffer;
  /** AES-GCM only. */
  iv?: Buffer;
  tag?: Buffer;
}

export interface DecryptInput {
  value: Buffer;
  /** AES-GCM only: all three bind the ciphertext. */
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

export interface ExportedKey {
  kty: KeyFamily;
  wrapped: Buffer;
  publicKey: PublicKeyMaterial;
}

/** Nest injection token for the HsmKeysPort provider. */
export const HSM_KEYS = Symbol('coffer.hsm.keys');
