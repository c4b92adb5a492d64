import { PublicKeyMaterial, SignatureAlgorithm } from '@coffer/contracts';
import { defaultSignatureAlgorithm, X509Signer } from '@coffer/x509';
import { JsonWebKey } from 'node:crypto';
import { KeyCryptoClient } from '../crypto/key-crypto.client';

/** The public half as a node JWK (what @coffer/x509 takes). */
export const jwkOf = (pk: PublicKeyMaterial): JsonWebKey => ({ ...pk }) as JsonWebKey;

/**
 * An X509Signer whose sign(digest) is the crypto-worker's key.sign on an HSM key: the library hashes
 * the TBS structure, the HSM signs the digest (RS256 for RSA, ES256/384/512 by curve), so certificate,
 * CSR and CRL signatures never need the private key outside the HSM.
 */
export function hsmSigner(crypto: KeyCryptoClient, hsmKeyId: string, publicKey: PublicKeyMaterial): X509Signer {
  const jwk = jwkOf(publicKey);
  const algorithm = defaultSignatureAlgorithm(jwk);
  return { algorithm, publicKey: jwk, sign: (digest) => crypto.sign(hsmKeyId, algorithm as SignatureAlgorithm, digest) };
}
