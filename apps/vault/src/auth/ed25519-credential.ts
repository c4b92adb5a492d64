import { createPublicKey, verify } from 'node:crypto';
import { nkeys } from 'nats';

/**
 * Ed25519 public keys: a NATS user nkey (`U…`) or base64 of the 32 raw bytes. Returns the key in
 * the form it is stored (nkeys as given, raw keys as base64), or undefined when it is neither.
 */
export function normalizeEd25519PublicKey(text: string): string | undefined {
  if (/^U[A-Z2-7]{55}$/.test(text)) {
    try {
      nkeys.fromPublic(text);
      return text;
    } catch {
      return undefined;
    }
  }
  const raw = Buffer.from(text, 'base64');
  return raw.length === 32 && raw.toString('base64') === text ? text : undefined;
}

/** Whether `signature` is the key's Ed25519 signature over `data`. Never throws. */
export function verifyEd25519(publicKey: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (publicKey.startsWith('U')) return nkeys.fromPublic(publicKey).verify(data, signature);
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}
