import { createHash, JsonWebKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { DistinguishedName, formatDistinguishedName, fromAsnName, nameDer } from './distinguished-name';
import { parseOrReject, X509InputError } from './errors';
import { KeyUsageName, parseEkuValue, parseKeyUsageValue } from './key-usage';
import { DerOrPem, toDer } from './pem';
import { jwkFromSpki, keyIdentifierOf, publicKeyFromSpki } from './public-keys';
import { parseSanValue, SubjectAlternativeNames } from './subject-alternative-names';

export interface ParsedCertificate {
  der: Buffer;
  /** RFC 4514 text, most specific first ("CN=www.example.com, O=Acme, C=US"). */
  subject: string;
  subjectName: DistinguishedName;
  issuer: string;
  issuerName: DistinguishedName;
  /** Lower-case hex without a sign octet, as Azure shows serial numbers. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  sans: Required<SubjectAlternativeNames>;
  /** undefined when the certificate has no keyUsage extension (any usage allowed). */
  keyUsage?: KeyUsageName[];
  /** undefined when there is no extendedKeyUsage extension. */
  ekus?: string[];
  isCa: boolean;
  pathLength?: number;
  publicKey: JsonWebKey;
  /** base64url SHA-1 of the DER, Azure's x5t. */
  x5t: string;
  /** base64url SHA-256 of the DER (JOSE x5t#S256). */
  x5tS256: string;
  /** Hex subjectKeyIdentifier, when present. */
  ski?: string;
  /** Hex keyIdentifier of authorityKeyIdentifier, when present. */
  aki?: string;
  crlDistributionPoints: string[];
  selfIssued: boolean;
}

/** The ASN.1 certificate of DER or PEM input; garbage becomes an X509InputError. */
export function decodeCertificate(input: DerOrPem): { der: Buffer; cert: Certificate } {
  const der = toDer(input, 'CERTIFICATE');
  const cert = parseOrReject('certificate', () => AsnConvert.parse(der, Certificate));
  return { der, cert };
}

function extensionsOf(cert: Certificate): Extension[] {
  return cert.tbsCertificate.extensions ?? [];
}

export function extensionValue(extensions: readonly Extension[], oid: string): ArrayBuffer | undefined {
  const ext = extensions.find((e) => e.extnID === oid);
  return ext ? ext.extnValue.buffer : undefined;
}

/** Hex of an INTEGER's content octets without the sign-padding zero. */
export function serialHex(bytes: ArrayBuffer): string {
  const b = Buffer.from(bytes);
  return (b.length > 1 && b[0] === 0 ? b.subarray(1) : b).toString('hex');
}

/** Everything Coffer shows or checks about a certificate. */
export function parseCertificate(input: DerOrPem): ParsedCertificate {
  const { der, cert } = decodeCertificate(input);
  return parseOrReject('certificate', () => {
    const tbs = cert.tbsCertificate;
    const exts = extensionsOf(cert);
    const get = (oid: string) => extensionValue(exts, oid);
    const san = get(id_ce_subjectAltName);
    const ku = get(id_ce_keyUsage);
    const eku = get(id_ce_extKeyUsage);
    const bc = get(id_ce_basicConstraints);
    const ski = get(id_ce_subjectKeyIdentifier);
    const aki = get(id_ce_authorityKeyIdentifier);
    const cdp = get(id_ce_cRLDistributionPoints);
    const basic = bc ? AsnConvert.parse(bc, BasicConstraints) : undefined;
    const akiValue = aki ? AsnConvert.parse(aki, AuthorityKeyIdentifier).keyIdentifier : undefined;
    const subjectName = fromAsnName(tbs.subject);
    const issuerName = fromAsnName(tbs.issuer);
    const spki = Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
    return {
      der,
      subject: formatDistinguishedName(subjectName),
      subjectName,
      issuer: formatDistinguishedName(issuerName),
      issuerName,
      serialNumber: serialHex(tbs.serialNumber),
      notBefore: tbs.validity.notBefore.getTime(),
      notAfter: tbs.validity.notAfter.getTime(),
      sans: san ? parseSanValue(san) : { dnsNames: [], emails: [], upns: [], ipAddresses: [], uris: [] },
      keyUsage: ku ? parseKeyUsageValue(ku) : undefined,
      ekus: eku ? parseEkuValue(eku) : undefined,
      isCa: basic?.cA === true,
      pathLength: basic?.cA ? basic.pathLenConstraint : undefined,
      publicKey: jwkFromSpki(spki),
      x5t: createHash('sha1').update(der).digest('base64url'),
      x5tS256: createHash('sha256').update(der).digest('base64url'),
      ski: ski ? Buffer.from(AsnConvert.parse(ski, SubjectKeyIdentifier).buffer).toString('hex') : undefined,
      aki: akiValue ? Buffer.from(akiValue.buffer).toString('hex') : undefined,
      crlDistributionPoints: cdp
        ? AsnConvert.parse(cdp, CRLDistributionPoints).flatMap((dp) =>
            (dp.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
          )
        : [],
      selfIssued: nameDer(tbs.subject).equals(nameDer(tbs.issuer)),
    };
  });
}

/** DER SubjectPublicKeyInfo of a certificate. */
export function certificateSpki(cert: Certificate): Buffer {
  return Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo));
}

/** The key identifier an issued certificate's AKI should carry: the issuer's SKI, else computed (RFC 5280 method 1). */
export function issuerKeyIdentifier(cert: Certificate): string {
  const ski = extensionValue(extensionsOf(cert), id_ce_subjectKeyIdentifier);
  return ski ? Buffer.from(AsnConvert.parse(ski, SubjectKeyIdentifier).buffer).toString('hex') : keyIdentifierOf(certificateSpki(cert));
}

/**
 * Whether `certificate` was issued by `issuer`: the issuer's subject names the certificate's issuer
 * (OpenSSL's check via node, which also compares AKI/SKI and the issuer's keyUsage) and the issuer's
 * key verifies the signature. A certificate passed as its own issuer is checked for being
 * self-signed. It does not check validity dates or revocation.
 */
export function verifyIssuedBy(certificate: DerOrPem, issuer: DerOrPem): boolean {
  const child = decodeCertificate(certificate);
  const parent = decodeCertificate(issuer);
  const nodeChild = parseOrReject('certificate', () => new NodeX509Certificate(child.der));
  const nodeParent = parseOrReject('issuer certificate', () => new NodeX509Certificate(parent.der));
  // A self-signed end-entity certificate (Azure's 'Self' issuer) has no keyCertSign, which
  // OpenSSL's issuer check demands; for the certificate itself the names and signature suffice.
  const selfSigned = child.der.equals(parent.der);
  if (selfSigned ? !nameDer(child.cert.tbsCertificate.issuer).equals(nameDer(child.cert.tbsCertificate.subject)) : !nodeChild.checkIssued(nodeParent)) {
    return false;
  }
  const key = publicKeyFromSpki(certificateSpki(parent.cert), 'issuer public key').keyObject;
  if (!child.cert.signatureAlgorithm.isEqual(child.cert.tbsCertificate.signature)) return false;
  // node (OpenSSL) verifies over the certificate's own TBS bytes, whatever their encoding.
  try {
    return nodeChild.verify(key);
  } catch {
    return false;
  }
}

/** Certificate in a form that needs a CA: CA basicConstraints and (if keyUsage is present) keyCertSign. */
export function requireCaCertificate(parsed: ParsedCertificate, what: string, usage: 'keyCertSign' | 'cRLSign'): void {
  if (!parsed.isCa) throw new X509InputError(`${what} is not a CA certificate (basicConstraints CA is not true)`);
  if (parsed.keyUsage && !parsed.keyUsage.includes(usage)) throw new X509InputError(`${what} does not allow ${usage}`);
}

export { X509InputError };
