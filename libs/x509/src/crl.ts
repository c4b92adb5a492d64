import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  CertificateList,
  CRLNumber,
  CRLReason,
  CRLReasons,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
} from '@peculiar/asn1-x509';
import { certificateSpki, decodeCertificate, extensionValue, issuerKeyIdentifier, parseCertificate, requireCaCertificate, serialHex } from './certificate';
import { formatDistinguishedName, fromAsnName } from './distinguished-name';
import { parseOrReject, X509InputError } from './errors';
import { x509 } from './peculiar';
import { DerOrPem, toDer } from './pem';
import { publicKeyFromSpki } from './public-keys';
import { checkedSerialNumber } from './serial-number';
import { signingContext, X509Signer } from './signer';
import { verifySignedData } from './signature-verify';
import { checkedDate } from './validity';

/** RFC 5280 §5.3.1 reason names. 'unspecified' is not encoded (the RFC says to omit it). */
export type RevocationReason = Exclude<keyof typeof CRLReasons, number>;
const REASONS = Object.keys(CRLReasons).filter((k) => Number.isNaN(Number(k))) as RevocationReason[];

export interface RevokedEntry {
  /** Hex serial number of the revoked certificate. */
  serialNumber: string;
  revocationDate: Date;
  reason?: RevocationReason;
}

export interface CreateCrlRequest {
  issuerCertificate: DerOrPem;
  revoked: RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonically increasing per issuer (RFC 5280 §5.2.3). */
  crlNumber: number;
  /** The issuer's key: must match issuerCertificate. */
  signer: X509Signer;
}

/** A v2 CRL (DER) with authorityKeyIdentifier and cRLNumber, signed through the issuer's signer. */
export async function createCrl(req: CreateCrlRequest): Promise<Buffer> {
  if (!req || typeof req !== 'object') throw new X509InputError('CRL request must be an object');
  const { cert } = decodeCertificate(req.issuerCertificate);
  requireCaCertificate(parseCertificate(req.issuerCertificate), 'CRL issuer certificate', 'cRLSign');
  const thisUpdate = checkedDate(req.thisUpdate, 'thisUpdate');
  const nextUpdate = checkedDate(req.nextUpdate, 'nextUpdate');
  if (nextUpdate.getTime() <= thisUpdate.getTime()) throw new X509InputError('nextUpdate must be after thisUpdate');
  if (!Number.isSafeInteger(req.crlNumber) || req.crlNumber < 0) throw new X509InputError('crlNumber must be a non-negative integer');
  if (!Array.isArray(req.revoked)) throw new X509InputError('revoked must be an array');
  const seen = new Set<string>();
  const entries = req.revoked.map((r, i) => {
    const serialNumber = checkedSerialNumber(r?.serialNumber);
    if (seen.has(serialNumber)) throw new X509InputError(`serial number ${serialNumber} is listed twice`);
    seen.add(serialNumber);
    if (r.reason !== undefined && !REASONS.includes(r.reason)) {
      throw new X509InputError(`revoked[${i}].reason must be one of ${REASONS.join(', ')}`);
    }
    return {
      serialNumber,
      revocationDate: checkedDate(r.revocationDate, `revoked[${i}].revocationDate`),
      reason: r.reason === undefined ? undefined : (CRLReasons[r.reason] as unknown as x509.X509CrlReason),
    };
  });
  const signing = signingContext(req.signer);
  if (!signing.key.spki.equals(certificateSpki(cert))) throw new X509InputError('signer key does not match the CRL issuer certificate');
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: new x509.Name(cert.tbsCertificate.subject),
      thisUpdate,
      nextUpdate,
      entries,
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(issuerKeyIdentifier(cert)),
        new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(req.crlNumber))),
      ],
      signingKey: signing.signingKey,
      signingAlgorithm: signing.signingAlgorithm,
    },
    signing.crypto,
  );
  return Buffer.from(crl.rawData);
}

export interface ParsedCrl {
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: number;
  aki?: string;
  revoked: { serialNumber: string; revocationDate: Date; reason?: RevocationReason }[];
  /** Set when parseCrl got the issuer certificate: whether its key verifies the CRL's signature. */
  signatureValid?: boolean;
}

/** Parses a CRL (DER or PEM "X509 CRL"); with `issuerCertificate`, also verifies its signature and issuer name. */
export function parseCrl(input: DerOrPem, issuerCertificate?: DerOrPem): ParsedCrl {
  const der = toDer(input, 'X509 CRL');
  const crl = parseOrReject('CRL', () => AsnConvert.parse(der, CertificateList));
  return parseOrReject('CRL', () => {
    const tbs = crl.tbsCertList;
    const exts = tbs.crlExtensions ?? [];
    const number = extensionValue(exts, id_ce_cRLNumber);
    const aki = extensionValue(exts, id_ce_authorityKeyIdentifier);
    const akiId = aki ? AsnConvert.parse(aki, AuthorityKeyIdentifier).keyIdentifier : undefined;
    const parsed: ParsedCrl = {
      issuer: formatDistinguishedName(fromAsnName(tbs.issuer)),
      thisUpdate: tbs.thisUpdate.getTime(),
      nextUpdate: tbs.nextUpdate?.getTime(),
      crlNumber: number ? AsnConvert.parse(number, CRLNumber).value : undefined,
      aki: akiId ? Buffer.from(akiId.buffer).toString('hex') : undefined,
      revoked: (tbs.revokedCertificates ?? []).map((r) => {
        const reason = extensionValue(r.crlEntryExtensions ?? [], id_ce_cRLReasons);
        return {
          serialNumber: serialHex(r.userCertificate),
          revocationDate: r.revocationDate.getTime(),
          reason: reason ? (CRLReasons[AsnConvert.parse(reason, CRLReason).reason] as RevocationReason) : undefined,
        };
      }),
    };
    if (issuerCertificate !== undefined) {
      const issuer = decodeCertificate(issuerCertificate).cert;
      const key = publicKeyFromSpki(certificateSpki(issuer), 'CRL issuer public key');
      const sameName = Buffer.from(AsnConvert.serialize(issuer.tbsCertificate.subject)).equals(Buffer.from(AsnConvert.serialize(tbs.issuer)));
      parsed.signatureValid =
        sameName &&
        crl.signatureAlgorithm.isEqual(tbs.signature) &&
        verifySignedData(crl.tbsCertListRaw ?? AsnConvert.serialize(tbs), crl.signatureAlgorithm, crl.signature, key.keyObject);
    }
    return parsed;
  });
}
