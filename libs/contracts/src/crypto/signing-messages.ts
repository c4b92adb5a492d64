/**
 * Internal crypto-worker protocol for HSM-held signing keys (EC P-256, private half never
 * extractable): the access-token key and the audit checkpoint key.
 */
export const SIGNING_KEY_ID = /^[A-Za-z0-9:_-]{1,64}$/;
export const TOKEN_SIGNING_KEY_ID = 'token-signing';
export const AUDIT_SIGNING_KEY_ID = 'audit-checkpoint';

export interface EnsureSigningKeyRequest { keyId: string }
/** The public key as a JWK ({kty:'EC', crv:'P-256', x, y, kid}). */
export interface SigningKeyReply { keyId: string; jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string } }

/** digest: base64 SHA-256 digest (32 bytes) to sign with ECDSA (CKM_ECDSA). */
export interface SignDigestRequest { keyId: string; digest: string }
/** signature: base64 of r‖s (64 bytes), the JWS ES256 form. */
export interface SignDigestReply { signature: string }

/** The HSM-held HMAC key client-secret hashes are keyed with (CKK_GENERIC_SECRET, never extractable). */
export const CLIENT_SECRET_MAC_KEY_ID = 'client-secret-mac';

/** data: base64 of at most 2 KiB to hash with HMAC-SHA256 (CKM_SHA256_HMAC) under the key keyId (created on first use). */
export interface KeyedHashRequest { keyId: string; data: string }
/** mac: base64 of the 32-byte HMAC. */
export interface KeyedHashReply { mac: string }
