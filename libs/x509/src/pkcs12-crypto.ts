import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { AsnConvert, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';

/*
 * Password-based encryption and MAC for PKCS#12 (RFC 7292, RFC 8018), on node:crypto primitives.
 * Why not pkijs: pkijs 4 is ESM-only (this CommonJS monorepo's Jest cannot load it on Node 20) and
 * implements neither the PKCS#12 3DES PBE nor RC2. The structures are @peculiar ASN.1 schema classes
 * (asn1-pfx, asn1-cms, asn1-pkcs8, plus the three PBE parameter types below, declared with the
 * same library), so no DER is written by hand; only the RFC 7292 Appendix B key derivation is code.
 */

/** PBKDF2-params (RFC 8018 A.2); the salt CHOICE is always `specified` in practice. */
export class Pbkdf2Params {
  @AsnProp({ type: OctetString }) salt = new OctetString();
  @AsnProp({ type: AsnPropTypes.Integer }) iterationCount = 0;
  @AsnProp({ type: AsnPropTypes.Integer, optional: true }) keyLength?: number;
  @AsnProp({ type: AlgorithmIdentifier, optional: true }) prf?: AlgorithmIdentifier;
}

/** PBES2-params (RFC 8018 A.4). */
export class Pbes2Params {
  @AsnProp({ type: AlgorithmIdentifier }) keyDerivationFunc = new AlgorithmIdentifier();
  @AsnProp({ type: AlgorithmIdentifier }) encryptionScheme = new AlgorithmIdentifier();
}

/** pkcs-12PbeParams (RFC 7292 Appendix C). */
export class Pkcs12PbeParams {
  @AsnProp({ type: OctetString }) salt = new OctetString();
  @AsnProp({ type: AsnPropTypes.Integer }) iterations = 0;
}

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1Des3: '1.2.840.113549.1.12.1.3',
  pbeSha1Des2: '1.2.840.113549.1.12.1.4',
  des3Cbc: '1.2.840.113549.3.7',
} as const;
const LEGACY_UNSUPPORTED: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'RC4',
  '1.2.840.113549.1.12.1.2': 'RC4',
  '1.2.840.113549.1.12.1.5': 'RC2',
  '1.2.840.113549.1.12.1.6': 'RC2',
};
const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  [OID.des3Cbc]: { name: 'des-ede3-cbc', keyLength: 24 },
};
export const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';

export const WRONG_PASSWORD = 'wrong password or corrupt PFX';

/** The password as PKCS#12 wants it for its own KDF: BMPString (UTF-16BE) with a 2-byte terminator. */
export function bmpPassword(password: string): Buffer {
  const units = Buffer.from(password, 'utf16le').swap16();
  return Buffer.concat([units, Buffer.alloc(2)]);
}

/** RFC 7292 Appendix B.2 key derivation (id 1: key, 2: IV, 3: MAC key). */
export function pkcs12Kdf(hash: string, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const u = createHash(hash).digest().length;
  const v = hash === 'sha384' || hash === 'sha512' ? 128 : 64;
  const fill = (src: Buffer) => {
    const len = src.length ? v * Math.ceil(src.length / v) : 0;
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length];
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const blocks: Buffer[] = [];
  for (let done = 0; done < length; done += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    blocks.push(A);
    const B = fill(A);
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/**
 * PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC: what `openssl pkcs12 -export` (OpenSSL 3) writes
 * for both the key and the certificates. PBKDF2 takes the password's UTF-8 bytes, as OpenSSL does.
 */
export function pbes2Encrypt(plain: Buffer, password: string, iterations: number): { algorithm: AlgorithmIdentifier; encrypted: Buffer } {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const params = Object.assign(new Pbes2Params(), {
    keyDerivationFunc: new AlgorithmIdentifier({
      algorithm: OID.pbkdf2,
      parameters: AsnConvert.serialize(
        Object.assign(new Pbkdf2Params(), {
          salt: new OctetString(salt),
          iterationCount: iterations,
          prf: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.2.9', parameters: null }),
        }),
      ),
    }),
    encryptionScheme: new AlgorithmIdentifier({
      algorithm: '2.16.840.1.101.3.4.1.42',
      parameters: AsnConvert.serialize(new OctetString(iv)),
    }),
  });
  return { algorithm: new AlgorithmIdentifier({ algorithm: OID.pbes2, parameters: AsnConvert.serialize(params) }), encrypted };
}

/**
 * Decrypts a PKCS#12 shrouded key or encrypted SafeContents: PBES2 (PBKDF2 with any SHA HMAC, AES
 * or 3DES) and the legacy PKCS#12 3DES PBE. RC2/RC4 (OpenSSL's -legacy certificate encryption)
 * need OpenSSL's legacy provider, which Node does not load: refused with a message saying so.
 * A bad password usually shows up as bad padding: reported as WRONG_PASSWORD.
 */
export function pbeDecrypt(algorithm: AlgorithmIdentifier, encrypted: Buffer, password: string): Buffer {
  const legacy = LEGACY_UNSUPPORTED[algorithm.algorithm];
  if (legacy) {
    throw new X509InputError(`PFX uses legacy ${legacy} encryption, which is not supported; re-export it with AES (openssl pkcs12 -export without -legacy)`);
  }
  let cipherName: string;
  let key: Buffer;
  let iv: Buffer;
  if (algorithm.algorithm === OID.pbes2 && algorithm.parameters) {
    const params = AsnConvert.parse(algorithm.parameters, Pbes2Params);
    if (params.keyDerivationFunc.algorithm !== OID.pbkdf2 || !params.keyDerivationFunc.parameters) {
      throw new X509InputError('PFX uses an unsupported PBES2 key derivation (only PBKDF2)');
    }
    const kdf = AsnConvert.parse(params.keyDerivationFunc.parameters, Pbkdf2Params);
    const prf = kdf.prf ? PRF[kdf.prf.algorithm] : 'sha1';
    const cipher = CIPHERS[params.encryptionScheme.algorithm];
    if (!prf || !cipher || !params.encryptionScheme.parameters) throw new X509InputError('PFX uses an unsupported PBES2 cipher or PRF');
    checkIterations(kdf.iterationCount);
    cipherName = cipher.name;
    iv = Buffer.from(AsnConvert.parse(params.encryptionScheme.parameters, OctetString).buffer);
    key = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(kdf.salt.buffer), kdf.iterationCount, kdf.keyLength ?? cipher.keyLength, prf);
  } else if ((algorithm.algorithm === OID.pbeSha1Des3 || algorithm.algorithm === OID.pbeSha1Des2) && algorithm.parameters) {
    const params = AsnConvert.parse(algorithm.parameters, Pkcs12PbeParams);
    checkIterations(params.iterations);
    const salt = Buffer.from(params.salt.buffer);
    const three = algorithm.algorithm === OID.pbeSha1Des3;
    cipherName = three ? 'des-ede3-cbc' : 'des-ede-cbc';
    key = pkcs12Kdf('sha1', bmpPassword(password), salt, 1, params.iterations, three ? 24 : 16);
    iv = pkcs12Kdf('sha1', bmpPassword(password), salt, 2, params.iterations, 8);
  } else {
    throw new X509InputError(`PFX uses an unsupported encryption algorithm ${algorithm.algorithm}`);
  }
  try {
    const decipher = createDecipheriv(cipherName, key, iv);
    return Buffer.concat([decipher.update(encrypted), decipher.final()]);
  } catch (e) {
    throw new X509InputError(WRONG_PASSWORD, { cause: e });
  }
}

/** Bounds the work a hostile file can ask for (OpenSSL writes 2048; some tools 10000-600000). */
export function checkIterations(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1 || n > 10_000_000) throw new X509InputError('PFX iteration count out of range');
}
