import { createHash, JsonWebKey, webcrypto } from 'node:crypto';

type Crypto = webcrypto.Crypto;
type CryptoKey = webcrypto.CryptoKey;
type Algorithm = webcrypto.Algorithm;
type BufferSource = webcrypto.BufferSource;
import { X509Error, X509InputError } from './errors';
import { Curve, PublicKeyInfo, publicKeyFromJwk } from './public-keys';

/** JWS names of the signature algorithms an HSM key can sign X.509 structures with. */
export const SIGNATURE_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export type X509SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Signs with the issuer's key, wherever it lives (the crypto-worker's HSM in Coffer).
 * `sign` gets the digest of the DER to be signed (already hashed with the algorithm's hash) and
 * returns the raw signature: RSA: the PKCS#1 v1.5 or PSS signature (PSS salt = hash length, MGF1
 * with the same hash, as JWS PS256/384/512); EC: r‖s, each padded to the field size (JWS/P1363
 * form, what CKM_ECDSA returns). The library turns r‖s into the DER ECDSA-Sig-Value X.509 wants.
 */
export interface X509Signer {
  algorithm: X509SignatureAlgorithm;
  /** Public JWK of the signing key. */
  publicKey: JsonWebKey;
  sign(digest: Buffer): Promise<Buffer>;
}

interface AlgorithmSpec {
  hash: 'sha256' | 'sha384' | 'sha512';
  webHash: 'SHA-256' | 'SHA-384' | 'SHA-512';
  family: 'RSA' | 'EC';
  pss: boolean;
  /** JWS binds each ES algorithm to one curve (RFC 7518 §3.4); HSM keys follow it. */
  curve?: Curve;
}

const SPECS: Record<X509SignatureAlgorithm, AlgorithmSpec> = {
  ES256: { hash: 'sha256', webHash: 'SHA-256', family: 'EC', pss: false, curve: 'P-256' },
  ES384: { hash: 'sha384', webHash: 'SHA-384', family: 'EC', pss: false, curve: 'P-384' },
  ES512: { hash: 'sha512', webHash: 'SHA-512', family: 'EC', pss: false, curve: 'P-521' },
  RS256: { hash: 'sha256', webHash: 'SHA-256', family: 'RSA', pss: false },
  RS384: { hash: 'sha384', webHash: 'SHA-384', family: 'RSA', pss: false },
  RS512: { hash: 'sha512', webHash: 'SHA-512', family: 'RSA', pss: false },
  PS256: { hash: 'sha256', webHash: 'SHA-256', family: 'RSA', pss: true },
  PS384: { hash: 'sha384', webHash: 'SHA-384', family: 'RSA', pss: true },
  PS512: { hash: 'sha512', webHash: 'SHA-512', family: 'RSA', pss: true },
};

/** The default signature algorithm for a key (what Azure and OpenSSL pick): ES by curve, RS256 for RSA. */
export function defaultSignatureAlgorithm(jwk: JsonWebKey): X509SignatureAlgorithm {
  const key = publicKeyFromJwk(jwk);
  if (key.kty === 'RSA') return 'RS256';
  return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as const)[key.crv!];
}

/** What @peculiar/x509's generators need to sign through `signer`. */
export interface SigningContext {
  /** Passed as the generators' `crypto` argument: only `subtle.sign` differs from node's WebCrypto. */
  crypto: Crypto;
  /** A stand-in CryptoKey: the generators read only its `algorithm`. */
  signingKey: CryptoKey;
  signingAlgorithm: Algorithm;
  /** A stand-in public CryptoKey that the shim exports as the signer's SPKI. */
  publicKey: CryptoKey;
  /** The signer's public key. */
  key: PublicKeyInfo;
}

/**
 * Why a WebCrypto shim and not hand-assembly: @peculiar/x509's generators already build the
 * TBSCertificate / CertificationRequestInfo / TBSCertList, choose the AlgorithmIdentifier (RSASSA-PSS
 * parameters included), convert WebCrypto's r‖s into ECDSA-Sig-Value and assemble the result; all
 * they need from a key is `crypto.subtle.sign(algorithm, key, tbs)`. Routing that one call to the
 * HSM signer (hash here, sign there) reuses all of it and leaves no DER to write by hand.
 */
export function signingContext(signer: X509Signer): SigningContext {
  if (!signer || typeof signer.sign !== 'function') throw new X509InputError('signer must have a sign function');
  const spec = SPECS[signer.algorithm];
  if (!spec) {
    throw new X509InputError(`signature algorithm must be one of ${SIGNATURE_ALGORITHMS.join(', ')}, not '${String(signer.algorithm)}'`);
  }
  const key = publicKeyFromJwk(signer.publicKey, 'signer public key');
  if (key.kty !== spec.family) throw new X509InputError(`${signer.algorithm} needs an ${spec.family} key, the signer has ${key.kty}`);
  if (spec.curve && key.crv !== spec.curve) throw new X509InputError(`${signer.algorithm} needs a ${spec.curve} key, the signer has ${key.crv}`);
  if (key.kty === 'RSA' && key.bits < 2048) throw new X509InputError(`RSA signing keys must have at least 2048 bits, the signer has ${key.bits}`);

  const hash = { name: spec.webHash };
  const signingAlgorithm: Algorithm & Record<string, unknown> =
    spec.family === 'EC'
      ? { name: 'ECDSA', namedCurve: spec.curve, hash }
      : spec.pss
        ? { name: 'RSA-PSS', hash, saltLength: createHash(spec.hash).digest().length }
        : { name: 'RSASSA-PKCS1-v1_5', hash };
  const signingKey = { type: 'private', extractable: false, usages: ['sign'], algorithm: signingAlgorithm } as unknown as CryptoKey;

  const expectedLength = key.kty === 'EC' ? 2 * Math.ceil(key.bits / 8) : Math.ceil(key.bits / 8);
  const sign = async (_algorithm: unknown, _key: unknown, data: BufferSource): Promise<ArrayBuffer> => {
    const bytes = ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
    const digest = createHash(spec.hash).update(bytes).digest();
    const signature = await signer.sign(digest);
    if (!(signature instanceof Uint8Array)) throw new X509Error('signer returned no signature bytes');
    // The formatter would silently mis-split an r‖s of the wrong size: refuse it instead.
    if (signature.length !== expectedLength) {
      throw new X509Error(`signer returned a ${signature.length}-byte ${signer.algorithm} signature, expected ${expectedLength} bytes`);
    }
    const out = new Uint8Array(signature.length);
    out.set(signature);
    return out.buffer;
  };
  const publicKey = { type: 'public', extractable: true, usages: ['verify'], algorithm: signingAlgorithm } as unknown as CryptoKey;
  const subtle = {
    sign,
    // The CSR generator exports the stand-in public key to build the SubjectPublicKeyInfo.
    exportKey: async (format: string, k: CryptoKey) => {
      if (format !== 'spki' || k !== publicKey) throw new X509Error(`unexpected exportKey(${format}) in the signing shim`);
      return new Uint8Array(key.spki).buffer;
    },
    digest: (algorithm: webcrypto.AlgorithmIdentifier, data: BufferSource) => webcrypto.subtle.digest(algorithm, data),
  };
  const crypto = {
    subtle,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
  } as unknown as Crypto;
  return { crypto, signingKey, publicKey, signingAlgorithm, key };
}
