/**
 * The HSM as the rest of Coffer sees it: key-encryption keys (KEKs) that never leave the device,
 * and AES-256 data keys that leave it only wrapped under a KEK (plus once, in plaintext, to the
 * caller that asked for a fresh one or for an unwrap).
 */
export interface HsmPort {
  /** Finds or creates the KEK named kekId; resolves true when this call created it. */
  ensureKek(kekId: string): Promise<boolean>;
  /** A fresh 32-byte data key from the HSM and the same key wrapped under the KEK. */
  generateDataKey(kekId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  /** The plaintext data key inside `wrapped`; HsmError InvalidWrappedKey when it was not wrapped by this KEK. */
  unwrapDataKey(kekId: string, wrapped: Buffer): Promise<Buffer>;
  info(): HsmInfo;
  close(): Promise<void>;
}

export interface HsmInfo {
  token: string;
  sessions: number;
  inFlight: number;
}

/** Nest injection token for the HsmPort provider. */
export const HSM = Symbol('coffer.hsm');
