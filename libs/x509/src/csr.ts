import type { JsonWebKey } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extensions, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { extensionValue } from './certificate';
import { DistinguishedName, formatDistinguishedName, fromAsnName, parseDistinguishedName, toAsnName } from './distinguished-name';
import { parseOrReject, X509InputError } from './errors';
import { ekuExtension, keyUsageExtension, KeyUsageName, parseEkuValue, parseKeyUsageValue, validateEkus, validateKeyUsage } from './key-usage';
import { x509 } from './peculiar';
import { DerOrPem, toDer } from './pem';
import { jwkFromSpki, publicKeyFromJwk, publicKeyFromSpki } from './public-keys';
import { signingContext, X509Signer } from './signer';
import { verifySignedData } from './signature-verify';
import { hasSans, parseSanValue, sanExtension, SubjectAlternativeNames, validateSans } from './subject-alternative-names';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

export interface CreateCsrRequest {
  subject: string;
  /** Public JWK of the key the certificate will be for; the CSR is signed with that same key (proof of possession). */
  subjectPublicKey: JsonWebKey;
  sans?: SubjectAlternativeNames;
  keyUsage?: KeyUsageName[];
  ekus?: string[];
  signer: X509Signer;
}

/** A PKCS#10 request (DER) with the SANs, key usage and EKUs in an extensionRequest attribute. */
export async function createCsr(req: CreateCsrRequest): Promise<Buffer> {
  if (!req || typeof req !== 'object') throw new X509InputError('CSR request must be an object');
  const dn = parseDistinguishedName(req.subject);
  const subjectKey = publicKeyFromJwk(req.subjectPublicKey, 'subject public key');
  const sans = validateSans(req.sans);
  const keyUsage = validateKeyUsage(req.keyUsage);
  const ekus = validateEkus(req.ekus);
  const signing = signingContext(req.signer);
  if (!signing.key.spki.equals(subjectKey.spki)) throw new X509InputError('a CSR must be signed with the subject key');
  const extensions = [
    ...(keyUsage?.length ? [keyUsageExtension(keyUsage)] : []),
    ...(ekus?.length ? [ekuExtension(ekus)] : []),
    ...(hasSans(sans) ? [sanExtension(sans)] : []),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: new x509.Name(toAsnName(dn)),
      keys: { publicKey: signing.publicKey, privateKey: signing.signingKey },
      signingAlgorithm: signing.signingAlgorithm,
      extensions,
    },
    signing.crypto,
  );
  return Buffer.from(csr.rawData);
}

export interface ParsedCsr {
  subject: string;
  subjectName: DistinguishedName;
  publicKey: JsonWebKey;
  sans: Required<SubjectAlternativeNames>;
  keyUsage?: KeyUsageName[];
  ekus?: string[];
}

/**
 * Parses a PKCS#10 request (DER or PEM "CERTIFICATE REQUEST") after verifying its self-signature
 * over the request info exactly as received: a tampered or mis-signed CSR is an X509InputError.
 */
export function parseCsr(input: DerOrPem): ParsedCsr {
  const der =
    typeof input === 'string' && input.includes('-----BEGIN NEW CERTIFICATE REQUEST-----')
      ? toDer(input, 'NEW CERTIFICATE REQUEST')
      : toDer(input, 'CERTIFICATE REQUEST');
  const csr = parseOrReject('CSR', () => AsnConvert.parse(der, CertificationRequest));
  return parseOrReject('CSR', () => {
    const info = csr.certificationRequestInfo;
    const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
    const key = publicKeyFromSpki(spki, 'CSR public key');
    const tbs = csr.certificationRequestInfoRaw ?? AsnConvert.serialize(info);
    if (!verifySignedData(tbs, csr.signatureAlgorithm, csr.signature, key.keyObject)) {
      throw new X509InputError('CSR signature does not verify (tampered or not signed with its own key)');
    }
    const extAttr = info.attributes.find((a) => a.type === EXTENSION_REQUEST);
    const exts = extAttr?.values[0] ? [...AsnConvert.parse(extAttr.values[0], Extensions)] : [];
    const san = extensionValue(exts, id_ce_subjectAltName);
    const ku = extensionValue(exts, id_ce_keyUsage);
    const eku = extensionValue(exts, id_ce_extKeyUsage);
    const subjectName = fromAsnName(info.subject);
    return {
      subject: formatDistinguishedName(subjectName),
      subjectName,
      publicKey: jwkFromSpki(spki),
      sans: san ? parseSanValue(san) : { dnsNames: [], emails: [], upns: [], ipAddresses: [], uris: [] },
      keyUsage: ku ? parseKeyUsageValue(ku) : undefined,
      ekus: eku ? parseEkuValue(eku) : undefined,
    };
  });
}
