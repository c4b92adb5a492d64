import { Curve, KeyFamily } from './key-algorithms';

/**
 * Internal crypto-worker protocol for Coffer keys (subjects `coffer.internal.crypto.key.*`).
 * Binary fields are standard base64 (as the rest of the internal protocol). `hsmKeyId` names one
 * key version's HSM objects: `<vault>/<name>/<version>`; the worker never lists or returns private
 * or secret material except wrapped under the trusted backup key (`key.export`).
 * Public-key operations (verify, RSA encrypt/wrap) run in the vault in software on the public JWK.
 */
export const HSM_KEY_ID = /^[a-zA-Z][a-zA-Z0-9-]{2,23}\/[0-9a-zA-Z-]{1,127}\/[0-9a-f]{32}$/;
export const hsmKeyIdOf = (vault: string, name: string, version: string): string => `${vault}/${name}/${version}`;

/** The public half as JWK members (base64url): RSA n/e, EC crv/x/y; oct keys have none. */
export type PublicKeyMaterial =
  | { kty: 'RSA'; n: string; e: string }
  | { kty: 'EC'; crv: Curve; x: string; y: string }
  | { kty: 'oct' };

export interface GenerateKeyRequest {
  hsmKeyId: string;
  kty: KeyFamily;
  /** RSA modulus bits (2048/3072/4096) or oct bits (128/192/256). */
  size?: number;
  /** RSA only; default 65537. */
  publicExponent?: number;
  /** EC only. */
  crv?: Curve;
  /** RSA/EC: the private half may be exported by key.exportprivate (certificate policies only). */
  exportable?: boolean;
}
export interface GenerateKeyReply { publicKey: PublicKeyMaterial }

/** BYOK: a private JWK (RSA n,e,d,p,q,dp,dq,qi; EC crv,x,y,d; oct k), base64url members. */
export interface ImportKeyRequest {
  hsmKeyId: string;
  jwk: Record<string, string>;
  /** Only for a certificate whose policy makes its key exportable (see GenerateKeyRequest). */
  exportable?: boolean;
}
export interface ImportKeyReply { publicKey: PublicKeyMaterial }

export interface SignRequest {
  hsmKeyId: string;
  /** A SignatureAlgorithm; the worker checks family and digest length again. */
  alg: string;
  digest: string;
}
/** RSA: the signature; EC: r‖s (JWS form). */
export interface SignReply { value: string }

/** Private-key or secret-key cipher operations: decrypt and unwrap (RSA, oct), encrypt and wrap (oct only). */
export interface CipherRequest {
  hsmKeyId: string;
  alg: string;
  value: string;
  /** AES-GCM decrypt: iv and tag; aad optional for both directions. */
  iv?: string;
  tag?: string;
  aad?: string;
}
export interface CipherReply { value: string; iv?: string; tag?: string }

/**
 * Rewrap: unwrap `value` under `fromHsmKeyId`, wrap the result under `toHsmKeyId` (same alg),
 * inside the worker: the plaintext never leaves it. `toPublicKey` is needed when the target is RSA.
 */
export interface RewrapRequest {
  fromHsmKeyId: string;
  toHsmKeyId: string;
  toPublicKey?: PublicKeyMaterial;
  alg: string;
  value: string;
}

/** Batch: the same operation on many items with one key (sign: items are digests). */
export interface BatchRequest {
  hsmKeyId: string;
  op: 'sign' | 'encrypt';
  alg: string;
  items: Array<{ value: string; aad?: string }>;
}
export interface BatchReply {
  items: Array<{ value: string; iv?: string; tag?: string } | { error: { code: string; message: string } }>;
}

export interface DestroyKeysRequest { hsmKeyIds: string[] }
export interface DestroyKeysReply { destroyed: number }

/** Key material wrapped by the trusted backup key (never leaves the HSM itself). */
export interface ExportKeyRequest { hsmKeyId: string }
export interface ExportKeyReply { kty: KeyFamily; wrapped: string; publicKey: PublicKeyMaterial }

/**
 * The plaintext PKCS#8 of a key generated exportable (a certificate policy's exportable key, the
 * exception of DESIGN invariant 2): for the certificate's secret only; never logged or stored unencrypted.
 */
export interface ExportPrivateKeyRequest { hsmKeyId: string }
export interface ExportPrivateKeyReply { pkcs8: string }

export interface RestoreKeyRequest {
  hsmKeyId: string;
  kty: KeyFamily;
  wrapped: string;
  publicKey: PublicKeyMaterial;
}
export interface RestoreKeyReply { publicKey: PublicKeyMaterial }

export interface RandomBytesRequest { count: number }
export interface RandomBytesReply { value: string }

export const KEY_CRYPTO_OPS = [
  'key.generate', 'key.import', 'key.sign', 'key.decrypt', 'key.encrypt', 'key.wrap', 'key.unwrap', 'key.rewrap',
  'key.batch', 'key.destroy', 'key.export', 'key.restore', 'random', 'key.exportprivate',
] as const;
