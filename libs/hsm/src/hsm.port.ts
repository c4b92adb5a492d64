/**
 * The HSM as the rest of Coffer sees it: key-encryption keys (KEKs) that never leave the device,
 * AES-256 data keys that leave it only wrapped under a KEK (plus once, in plaintext, to the
 * caller that asked for a fresh one or for an unwrap), and EC P-256 signing key pairs whose
 * private half never leaves it.
 */
export interface HsmPort {
  /** Finds or creates the KEK named kekId; resolves true when this call created it. */
  ensureKek(kekId: string): Promise<boolean>;
  /** A fresh 32-byte data key from the HSM and the same key wrapped under the KEK. */
  generateDataKey(kekId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  /** The plaintext data key inside `wrapped`; HsmError InvalidWrappedKey when it was not wrapped by this KEK. */
  unwrapDataKey(kekId: string, wrapped: Buffer): Promise<Buffer>;
  /**
   * Finds or creates the EC P-256 signing key pair named keyId and returns its public key as a
   * JWK (kid = keyId); `created` is true when this call generated the pair.
   */
  ensureSigningKey(keyId: string): Promise<{ jwk: SigningJwk; created: boolean }>;
  /**
   * ECDSA (CKM_ECDSA) over a SHA-256 digest the caller computed, as r‖s (64 bytes, the JWS ES256
   * form). HsmError KeyNotFound for a keyId never ensured (nothing is created), InvalidDigest when
   * the digest is not 32 bytes.
   */
  signDigest(keyId: string, digest: Buffer): Promise<Buffer>;
  /**
   * Finds or creates the HMAC secret key named keyId (256 bits, sensitive, never extractable,
   * sign/verify only); `created` is true when this call generated it. The crypto-worker ensures its
   * keys at start, before it serves: two processes hashing the first secret at once would otherwise
   * each make a key, and a hash made under one would never match under the other.
   */
  ensureMacKey(keyId: string): Promise<{ created: boolean }>;
  /**
   * HMAC-SHA256 of `data` (at most MAX_MAC_INPUT_BYTES) under the secret key named keyId (made
   * here if no one ensured it). HsmError InvalidInput when `data` is too long.
   */
  keyedHash(keyId: string, data: Buffer): Promise<Buffer>;
  info(): HsmInfo;
  /** Resolves when the token answers on a pooled session (C_GetSessionInfo): the crypto-worker's readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** An EC P-256 public key as a JSON Web Key (x and y base64url, 32 bytes each). */
export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
}

export interface HsmInfo {
  token: string;
  sessions: number;
  inFlight: number;
}

/** Longest input keyedHash accepts (a client id and a client secret fit easily). */
export const MAX_MAC_INPUT_BYTES = 2048;

/** Nest injection token for the HsmPort provider. */
export const HSM = Symbol('coffer.hsm');
