import type { JsonWebKey } from 'node:crypto';
import { x509 } from './peculiar';
import { certificateSpki, decodeCertificate, issuerKeyIdentifier, parseCertificate, requireCaCertificate } from './certificate';
import { parseDistinguishedName, toAsnName } from './distinguished-name';
import { X509InputError } from './errors';
import { ekuExtension, EKU, keyUsageExtension, KeyUsageName, validateEkus, validateKeyUsage } from './key-usage';
import { keyIdentifierOf, publicKeyFromJwk } from './public-keys';
import { checkedSerialNumber, randomSerialNumber } from './serial-number';
import { signingContext, X509Signer } from './signer';
import { hasSans, sanExtension, SubjectAlternativeNames, validateSans } from './subject-alternative-names';
import { checkedValidity } from './validity';

export interface IssueCertificateRequest {
  /** RFC 4514 subject, e.g. "CN=www.example.com, O=Acme, C=US". */
  subject: string;
  /** Public JWK of the certificate's key (RSA or EC P-256/384/521). */
  subjectPublicKey: JsonWebKey;
  sans?: SubjectAlternativeNames;
  /** Default: leaf RSA digitalSignature+keyEncipherment, leaf EC digitalSignature, CA keyCertSign+cRLSign. */
  keyUsage?: KeyUsageName[];
  /** Default: leaf serverAuth+clientAuth, CA none (unrestricted). */
  ekus?: string[];
  notBefore: Date;
  notAfter: Date;
  /** Hex; default 16 random bytes (see randomSerialNumber). */
  serialNumber?: string;
  /** Makes a CA certificate; pathLength limits the CAs below it. */
  ca?: { pathLength?: number };
  /** 'self': self-signed with the subject's own key; else the issuing CA's certificate (DER or PEM). */
  issuer: 'self' | { certificate: Buffer | Uint8Array | string };
  crlDistributionPointUri?: string;
  /** Signs with the issuer's key: the subject's own key for 'self', the CA's key otherwise. */
  signer: X509Signer;
}

/**
 * Issues an X.509 v3 certificate (DER). Extensions: basicConstraints (critical), keyUsage (critical),
 * extendedKeyUsage, subjectAltName, subjectKeyIdentifier, authorityKeyIdentifier and, when given,
 * cRLDistributionPoints. Every input is checked before the signer is called, so a bad request never
 * costs an HSM operation.
 */
export async function issueCertificate(req: IssueCertificateRequest): Promise<Buffer> {
  if (!req || typeof req !== 'object') throw new X509InputError('certificate request must be an object');
  const dn = parseDistinguishedName(req.subject);
  const subjectKey = publicKeyFromJwk(req.subjectPublicKey, 'subject public key');
  const sans = validateSans(req.sans);
  const { notBefore, notAfter } = checkedValidity(req.notBefore, req.notAfter);
  const serialNumber = req.serialNumber === undefined ? randomSerialNumber() : checkedSerialNumber(req.serialNumber);
  const isCa = req.ca !== undefined && req.ca !== null;
  const pathLength = req.ca?.pathLength;
  if (pathLength !== undefined && (!Number.isInteger(pathLength) || pathLength < 0)) {
    throw new X509InputError('ca.pathLength must be a non-negative integer');
  }
  const keyUsage =
    validateKeyUsage(req.keyUsage) ??
    (isCa ? ['keyCertSign', 'cRLSign'] : subjectKey.kty === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']);
  if (isCa && !keyUsage.includes('keyCertSign')) throw new X509InputError('a CA certificate needs the keyCertSign key usage');
  const ekus = validateEkus(req.ekus) ?? (isCa ? [] : [EKU.serverAuth, EKU.clientAuth]);
  if (req.crlDistributionPointUri !== undefined) validateSans({ uris: [req.crlDistributionPointUri] });

  const signing = signingContext(req.signer);
  const subjectSki = keyIdentifierOf(subjectKey.spki);
  let issuerName: x509.Name;
  let authorityKeyId: string;
  if (req.issuer === 'self') {
    if (!signing.key.spki.equals(subjectKey.spki)) throw new X509InputError('a self-signed certificate must be signed with the subject key');
    issuerName = new x509.Name(toAsnName(dn));
    authorityKeyId = subjectSki;
  } else if (req.issuer && typeof req.issuer === 'object' && req.issuer.certificate) {
    const { cert } = decodeCertificate(req.issuer.certificate);
    const parsed = parseCertificate(req.issuer.certificate);
    requireCaCertificate(parsed, 'issuer certificate', 'keyCertSign');
    if (isCa && parsed.pathLength === 0) throw new X509InputError('issuer certificate has pathLength 0 and cannot issue CA certificates');
    if (!signing.key.spki.equals(certificateSpki(cert))) throw new X509InputError('signer key does not match the issuer certificate');
    // The issuer field is the CA's subject exactly as encoded there: chaining compares these names.
    issuerName = new x509.Name(cert.tbsCertificate.subject);
    authorityKeyId = issuerKeyIdentifier(cert);
  } else {
    throw new X509InputError("issuer must be 'self' or { certificate }");
  }

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCa, isCa ? pathLength : undefined, true),
    keyUsageExtension(keyUsage),
    ...(ekus.length ? [ekuExtension(ekus)] : []),
    ...(hasSans(sans) ? [sanExtension(sans, dn.length === 0)] : []),
    new x509.SubjectKeyIdentifierExtension(subjectSki),
    new x509.AuthorityKeyIdentifierExtension(authorityKeyId),
    ...(req.crlDistributionPointUri ? [new x509.CRLDistributionPointsExtension([req.crlDistributionPointUri])] : []),
  ];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: new x509.Name(toAsnName(dn)),
      issuer: issuerName,
      notBefore,
      notAfter,
      publicKey: subjectKey.spki,
      signingKey: signing.signingKey,
      signingAlgorithm: signing.signingAlgorithm,
      extensions,
    },
    signing.crypto,
  );
  return Buffer.from(cert.rawData);
}
