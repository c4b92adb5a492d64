/**
 * Internal crypto-worker protocol (subjects `coffer.internal.crypto.*`). Binary fields are base64.
 * kekId names a key-encryption key in the HSM (a vault's, or `backup`).
 */
export const KEK_ID = /^[A-Za-z0-9:_-]{1,64}$/;
export const BACKUP_KEK_ID = 'backup';

export interface EnsureKekRequest { kekId: string }
export interface EnsureKekReply { kekId: string; created: boolean }

export interface GenerateDataKeyRequest { kekId: string }
/** plaintext: 32 random bytes from the HSM; wrapped: the same under the KEK (AES key wrap with padding). */
export interface GenerateDataKeyReply { plaintext: string; wrapped: string }

export interface UnwrapDataKeyRequest { kekId: string; wrapped: string }
export interface UnwrapDataKeyReply { plaintext: string }

export interface CryptoStatusReply {
  ok: true;
  token: string;
  sessions: number;
  inFlight: number;
  /** The crypto-worker's event-loop delay over the last ~10 s (absent until it has samples). */
  eventLoopDelay?: CryptoEventLoopDelay;
}

/** perf_hooks.monitorEventLoopDelay percentiles in milliseconds over a rolling window. */
export interface CryptoEventLoopDelay { windowMs: number; samples: number; meanMs: number; p50Ms: number; p99Ms: number; maxMs: number }
