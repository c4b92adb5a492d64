import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { AUDIT_SIGNING_KEY_ID } from '@coffer/contracts';
import { ecdsaSignDigest } from '@coffer/crypto/testing';

/**
 * A software stand-in for the HSM audit key in tests: ECDSA P-256 over a given SHA-256 digest
 * (what CKM_ECDSA does; node:crypto can only sign messages it hashes itself), r‖s output.
 */
export class SoftwareSigner {
  readonly jwk: JsonWebKey;
  private readonly privateKey: KeyObject;

  constructor(readonly keyId = AUDIT_SIGNING_KEY_ID) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: keyId };
  }

  async sign(digest: Buffer): Promise<Buffer> {
    return ecdsaSignDigest(this.privateKey, digest);
  }

  async publicJwk(): Promise<JsonWebKey> {
    return this.jwk;
  }
}
