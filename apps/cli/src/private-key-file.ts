import { createPrivateKey } from 'node:crypto';
import { UsageError } from './usage-error';

/**
 * A private key file for `coffer key import` as the private JWK the wire carries: a JWK (JSON,
 * any kty incl. oct) as is, or a PEM (PKCS#8, PKCS#1 or SEC1; encrypted with `password`) converted
 * by node:crypto. Errors never quote the file, which holds key material.
 */
export function parsePrivateKeyFile(text: string, password?: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(trimmed);
    } catch {
      throw new UsageError('the key file starts like JSON but is not valid JSON');
    }
    if (typeof jwk !== 'object' || jwk === null || typeof (jwk as { kty?: unknown }).kty !== 'string') {
      throw new UsageError('the key file is JSON but not a JWK (no "kty")');
    }
    return jwk as Record<string, unknown>;
  }
  if (!trimmed.startsWith('-----BEGIN')) throw new UsageError('the key file is neither a JWK (JSON) nor a PEM private key');
  try {
    const key = createPrivateKey({ key: trimmed, format: 'pem', passphrase: password });
    return key.export({ format: 'jwk' }) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (/BAD_DECRYPT|INTERRUPTED_OR_CANCELLED|passphrase/i.test(`${code} ${(err as Error).message}`)) {
      throw new UsageError(password === undefined ? 'the PEM key is encrypted: give --password' : 'wrong --password for the PEM key');
    }
    throw new UsageError(`the PEM file is not a private key node:crypto can read (${code || 'unsupported format'})`);
  }
}
