import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ContentInfo, EncryptedContent, EncryptedContentInfo, id_data, id_encryptedData } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
  MacData,
  PFX,
  PKCS12Attribute,
  SafeBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { DigestInfo } from '@peculiar/asn1-rsa';
import { AsnConvert, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';
import { DerOrPem, toDer } from './pem';
import { bmpPassword, checkIterations, DIGESTS, pbeDecrypt, pbes2Encrypt, pkcs12Kdf, SHA256_OID, WRONG_PASSWORD } from './pkcs12-crypto';
import { indexOfCertificateFor, orderChain, privateKeyFromPkcs8, spkiOfPrivateKey } from './private-keys';

/** CMS EncryptedData (RFC 5652 §8), which asn1-cms does not declare. */
class CmsEncryptedData {
  @AsnProp({ type: AsnPropTypes.Integer }) version = 0;
  @AsnProp({ type: EncryptedContentInfo }) encryptedContentInfo = new EncryptedContentInfo();
}

const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
/** OpenSSL 3's default iteration count for both the PBES2 KDF and the MAC. */
const DEFAULT_ITERATIONS = 2048;

export interface CreatePfxRequest {
  /** Leaf first, then its chain (DER or PEM each). */
  certificates: DerOrPem[];
  /** PKCS#8 DER of the leaf's private key; omit for a chain-only PFX (a non-exportable key). */
  privateKeyPkcs8?: Uint8Array;
  password: string;
  iterations?: number;
}

export interface PfxContents {
  /** DER, the certificate for the private key first, then its chain. */
  certificates: Buffer[];
  privateKeyPkcs8?: Buffer;
}

/**
 * A PKCS#12 file as OpenSSL 3 writes it by default: certificates in a PBES2/AES-256-CBC encrypted
 * SafeContents, the key in a PBES2/AES-256-CBC shrouded key bag (PBKDF2-HMAC-SHA256), both tied
 * by a localKeyId, and an HMAC-SHA256 MAC over the whole (key from the RFC 7292 KDF).
 */
export function createPfx(req: CreatePfxRequest): Buffer {
  if (!req || typeof req !== 'object') throw new X509InputError('PFX request must be an object');
  if (typeof req.password !== 'string') throw new X509InputError('PFX password must be a string');
  if (!Array.isArray(req.certificates) || req.certificates.length === 0) throw new X509InputError('a PFX needs at least one certificate');
  const iterations = req.iterations ?? DEFAULT_ITERATIONS;
  checkIterations(iterations);
  const certs = req.certificates.map((c) => {
    const der = toDer(c, 'CERTIFICATE');
    try {
      AsnConvert.parse(der, Certificate);
    } catch (e) {
      throw new X509InputError('PFX certificate is not valid DER/PEM', { cause: e });
    }
    return der;
  });
  const localKeyId = createHash('sha1').update(certs[0]).digest();
  // Object.assign: PKCS12Attribute's constructor (asn1-pfx 2.11.1) drops its params.
  const keyIdAttr = () => [
    Object.assign(new PKCS12Attribute(), { attrId: LOCAL_KEY_ID, attrValues: [AsnConvert.serialize(new OctetString(localKeyId))] }),
  ];

  const certBags = new SafeContents(
    certs.map(
      (der, i) =>
        new SafeBag({
          bagId: id_certBag,
          bagValue: AsnConvert.serialize(new CertBag({ certId: id_x509Certificate, certValue: AsnConvert.serialize(new OctetString(der)) })),
          bagAttributes: i === 0 && req.privateKeyPkcs8 ? keyIdAttr() : undefined,
        }),
    ),
  );
  const certsEncrypted = pbes2Encrypt(Buffer.from(AsnConvert.serialize(certBags)), req.password, iterations);
  const authSafe = new AuthenticatedSafe([
    new ContentInfo({
      contentType: id_encryptedData,
      content: AsnConvert.serialize(
        Object.assign(new CmsEncryptedData(), {
          encryptedContentInfo: new EncryptedContentInfo({
            contentType: id_data,
            contentEncryptionAlgorithm: certsEncrypted.algorithm,
            encryptedContent: new EncryptedContent({ value: new OctetString(certsEncrypted.encrypted) }),
          }),
        }),
      ),
    }),
  ]);
  if (req.privateKeyPkcs8) {
    const key = privateKeyFromPkcs8(req.privateKeyPkcs8);
    if (indexOfCertificateFor([certs[0]], spkiOfPrivateKey(key)) !== 0) {
      throw new X509InputError('private key does not match the first (leaf) certificate');
    }
    const shrouded = pbes2Encrypt(Buffer.from(req.privateKeyPkcs8), req.password, iterations);
    const keyBags = new SafeContents([
      new SafeBag({
        bagId: id_pkcs8ShroudedKeyBag,
        bagValue: AsnConvert.serialize(
          new EncryptedPrivateKeyInfo({ encryptionAlgorithm: shrouded.algorithm, encryptedData: new OctetString(shrouded.encrypted) }),
        ),
        bagAttributes: keyIdAttr(),
      }),
    ]);
    authSafe.push(new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(AsnConvert.serialize(keyBags))) }));
  }
  const authSafeDer = Buffer.from(AsnConvert.serialize(authSafe));
  const macSalt = randomBytes(16);
  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(authSafeDer)) }),
    macData: new MacData({
      mac: new DigestInfo({
        digestAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_OID, parameters: null }),
        digest: new OctetString(macOf('sha256', bmpPassword(req.password), macSalt, iterations, authSafeDer)),
      }),
      macSalt: new OctetString(macSalt),
      iterations,
    }),
  });
  return Buffer.from(AsnConvert.serialize(pfx));
}

function macOf(hash: string, password: Buffer, salt: Buffer, iterations: number, data: Buffer): Buffer {
  const key = pkcs12Kdf(hash, password, salt, 3, iterations, createHash(hash).digest().length);
  return createHmac(hash, key).update(data).digest();
}

/** The bytes of an OCTET STRING, primitive or (BER, as Windows writes) constructed. */
function octets(der: ArrayBuffer): Buffer {
  return Buffer.from(AsnConvert.parse(der, OctetString).buffer);
}

/**
 * Reads a PKCS#12 file: checks the MAC (wrong password → X509InputError(WRONG_PASSWORD)), decrypts
 * PBES2 (AES/3DES, any SHA PRF) and legacy 3DES bags, returns the certificates (the key's own
 * first) and the PKCS#8 key. A file with more than one key, or a key matching no certificate, is
 * refused: Coffer stores one certificate with one key.
 */
export function readPfx(input: Uint8Array, password: string): PfxContents {
  if (typeof password !== 'string') throw new X509InputError('PFX password must be a string');
  let pfx: PFX;
  let authSafeDer: Buffer;
  try {
    pfx = AsnConvert.parse(Buffer.from(input), PFX);
    if (pfx.authSafe.contentType !== id_data) throw new X509InputError('PFX is signed with a public key, which is not supported');
    authSafeDer = octets(pfx.authSafe.content);
  } catch (e) {
    if (e instanceof X509InputError) throw e;
    throw new X509InputError('PFX is not valid PKCS#12 DER', { cause: e });
  }
  if (pfx.macData) checkMac(pfx.macData, password, authSafeDer);

  const certificates: Buffer[] = [];
  const keys: Buffer[] = [];
  try {
    for (const info of AsnConvert.parse(authSafeDer, AuthenticatedSafe)) {
      let safeContentsDer: Buffer;
      if (info.contentType === id_data) {
        safeContentsDer = octets(info.content);
      } else if (info.contentType === id_encryptedData) {
        const eci = AsnConvert.parse(info.content, CmsEncryptedData).encryptedContentInfo;
        const content = eci.encryptedContent;
        const encrypted = content?.value
          ? Buffer.from(content.value.buffer)
          : Buffer.concat((content?.constructedValue ?? []).map((o) => Buffer.from(o.buffer)));
        safeContentsDer = pbeDecrypt(eci.contentEncryptionAlgorithm, encrypted, password);
      } else {
        throw new X509InputError(`PFX content type ${info.contentType} is not supported`);
      }
      for (const bag of AsnConvert.parse(safeContentsDer, SafeContents)) {
        if (bag.bagId === id_certBag) {
          const certBag = AsnConvert.parse(bag.bagValue, CertBag);
          if (certBag.certId === id_x509Certificate) certificates.push(octets(certBag.certValue));
        } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
          const epki = AsnConvert.parse(bag.bagValue, EncryptedPrivateKeyInfo);
          keys.push(pbeDecrypt(epki.encryptionAlgorithm, Buffer.from(epki.encryptedData.buffer), password));
        } else if (bag.bagId === id_keyBag) {
          keys.push(Buffer.from(AsnConvert.serialize(AsnConvert.parse(bag.bagValue, PrivateKeyInfo))));
        }
      }
    }
  } catch (e) {
    if (e instanceof X509InputError) throw e;
    // Without a MAC a wrong password can decrypt to garbage that does not parse.
    throw new X509InputError(pfx.macData ? 'PFX content is not valid PKCS#12' : WRONG_PASSWORD, { cause: e });
  }
  if (keys.length > 1) throw new X509InputError('PFX holds more than one private key');
  if (certificates.length === 0) throw new X509InputError('PFX holds no certificate');
  for (const der of certificates) {
    try {
      AsnConvert.parse(der, Certificate);
    } catch (e) {
      throw new X509InputError('PFX holds a certificate that is not valid DER', { cause: e });
    }
  }
  if (keys.length === 0) return { certificates: orderChain(certificates, 0) };
  const key = privateKeyFromPkcs8(keys[0]);
  const leaf = indexOfCertificateFor(certificates, spkiOfPrivateKey(key));
  if (leaf < 0) throw new X509InputError('PFX private key matches none of its certificates');
  return { certificates: orderChain(certificates, leaf), privateKeyPkcs8: keys[0] };
}

function checkMac(macData: MacData, password: string, authSafeDer: Buffer): void {
  const hash = DIGESTS[macData.mac.digestAlgorithm.algorithm];
  if (!hash) throw new X509InputError(`PFX MAC algorithm ${macData.mac.digestAlgorithm.algorithm} is not supported`);
  checkIterations(macData.iterations);
  const expected = Buffer.from(macData.mac.digest.buffer);
  const salt = Buffer.from(macData.macSalt.buffer);
  // OpenSSL also accepts an absent password for an empty one; try both encodings then.
  const candidates = password === '' ? [bmpPassword(''), Buffer.alloc(0)] : [bmpPassword(password)];
  for (const pw of candidates) {
    const mac = macOf(hash, pw, salt, macData.iterations, authSafeDer);
    if (mac.length === expected.length && timingSafeEqual(mac, expected)) return;
  }
  throw new X509InputError(WRONG_PASSWORD);
}
