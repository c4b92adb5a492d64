import { createHash, createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';

/** The curves Coffer keys use, with their JWK names. */
export const CURVES = ['P-256', 'P-384', 'P-521'] as const;
export type Curve = (typeof CURVES)[number];

/** What the library needs to know about a public key. */
export interface PublicKeyInfo {
  kty: 'RSA' | 'EC';
  /** EC only. */
  crv?: Curve;
  /** RSA: modulus bits; EC: field bits. */
  bits: number;
  keyObject: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
}

/**
 * A public JWK (RSA n/e or EC P-256/P-384/P-521 x/y) as SPKI, through node:crypto so that a point
 * off the curve or a malformed modulus is rejected by OpenSSL, not by hand-written checks.
 * Private members ("d", "p"...) are never read: only the public part is kept.
 */
export function publicKeyFromJwk(jwk: JsonWebKey, what = 'public key'): PublicKeyInfo {
  if (!jwk || typeof jwk !== 'object') throw new X509InputError(`${what} must be a JWK object`);
  let pub: JsonWebKey;
  if (jwk.kty === 'RSA') {
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new X509InputError(`${what}: RSA JWK needs n and e`);
    pub = { kty: 'RSA', n: jwk.n, e: jwk.e };
  } else if (jwk.kty === 'EC') {
    if (!CURVES.includes(jwk.crv as Curve)) {
      throw new X509InputError(`${what}: EC curve must be one of ${CURVES.join(', ')}, not '${String(jwk.crv)}'`);
    }
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new X509InputError(`${what}: EC JWK needs x and y`);
    pub = { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  } else {
    throw new X509InputError(`${what}: kty must be RSA or EC, not '${String(jwk.kty)}'`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: pub , format: 'jwk' });
  } catch (e) {
    throw new X509InputError(`${what} is not a valid ${jwk.kty} key`, { cause: e });
  }
  return describe(keyObject, what);
}

/** The same description for a DER SubjectPublicKeyInfo (from a certificate or CSR). */
export function publicKeyFromSpki(spki: Uint8Array, what = 'public key'): PublicKeyInfo {
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new X509InputError(`${what} is not a valid SubjectPublicKeyInfo`, { cause: e });
  }
  return describe(keyObject, what);
}

function describe(keyObject: KeyObject, what: string): PublicKeyInfo {
  const spki = keyObject.export({ type: 'spki', format: 'der' });
  const details = keyObject.asymmetricKeyDetails ?? {};
  // An RSA-PSS-restricted SPKI (id-RSASSA-PSS) is reported as 'rsa-pss'; its JWK is the same n/e.
  if (keyObject.asymmetricKeyType === 'rsa' || keyObject.asymmetricKeyType === 'rsa-pss') {
    return { kty: 'RSA', bits: details.modulusLength ?? 0, keyObject, spki };
  }
  if (keyObject.asymmetricKeyType === 'ec') {
    const crv = ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as const)[
      details.namedCurve as 'prime256v1' | 'secp384r1' | 'secp521r1'
    ];
    if (!crv) throw new X509InputError(`${what}: unsupported EC curve ${String(details.namedCurve)}`);
    return { kty: 'EC', crv, bits: crv === 'P-521' ? 521 : Number(crv.slice(2)), keyObject, spki };
  }
  throw new X509InputError(`${what}: unsupported key type ${String(keyObject.asymmetricKeyType)}`);
}

/** The public JWK (kty, n/e or crv/x/y only) of a DER SubjectPublicKeyInfo. */
export function jwkFromSpki(spki: Uint8Array): JsonWebKey {
  const info = publicKeyFromSpki(spki);
  const jwk = info.keyObject.export({ format: 'jwk' }) as JsonWebKey;
  return info.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
}

/**
 * Whether two public JWKs are the same key. Compared as SPKI DER, so a JWK carrying extra members
 * (kid, key_ops, even private ones) or unpadded/padded coordinates still matches.
 */
export function publicKeysEqual(a: JsonWebKey, b: JsonWebKey): boolean {
  return publicKeyFromJwk(a, 'first key').spki.equals(publicKeyFromJwk(b, 'second key').spki);
}

/**
 * The subjectKeyIdentifier of RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING
 * contents (not of the whole SPKI), hex. The ASN.1 library extracts the bits.
 */
export function keyIdentifierOf(spki: Uint8Array): string {
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return createHash('sha1').update(Buffer.from(info.subjectPublicKey)).digest('hex');
}
