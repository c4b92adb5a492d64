import { RecoveryLevel } from '../wire/responses';
import { CertificatePolicy } from './certificate-policy';

/**
 * Reply bodies of the certificate subjects (`coffer.v1.vault.<vault>.certificate.<op>`, `…issuer.<op>`,
 * `…contacts.<op>`), shaped like Azure Key Vault's certificate bundle. `cer` is the DER certificate in
 * standard base64 (as Azure), `x5t` its SHA-1 thumbprint in base64url. Every certificate version has
 * an addressable key (`kid`, a Coffer key of the same name and version, HSM-backed) and secret (`sid`,
 * a Coffer secret of the same name and version holding the PFX or PEM).
 */
export interface CertificateAttributes {
  enabled: boolean;
  /** The certificate's notBefore / notAfter (ISO 8601). */
  nbf?: string;
  exp?: string;
  created: string;
  updated: string;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
}

export interface CertificateItem {
  /** `coffer://<vault>/certificates/<name>[/<version>]` */
  id: string;
  name: string;
  version?: string;
  x5t: string;
  attributes: CertificateAttributes;
  tags?: Record<string, string>;
}

export interface CertificateBundle extends CertificateItem {
  version: string;
  kid: string;
  sid: string;
  cer: string;
  /** Lower-case hex, as Azure shows it. */
  serialNumber: string;
  subject: string;
  issuer: string;
  /** base64 DER of the issuing chain (without the certificate itself), nearest issuer first. */
  chain?: string[];
  policy: CertificatePolicy;
  /** The object's sequence after this change: pass it back as ifMatch for check-and-set. */
  sequence: number;
}

export interface DeletedCertificateFields {
  recoveryId: string;
  deletedDate: string;
  scheduledPurgeDate: string;
}
export type DeletedCertificateItem = CertificateItem & DeletedCertificateFields;
export type DeletedCertificateBundle = CertificateBundle & DeletedCertificateFields;

export type CertificateOperationStatus = 'inProgress' | 'completed' | 'cancelled';

/** Azure's pending/complete certificate operation. */
export interface CertificateOperation {
  /** `coffer://<vault>/certificates/<name>/pending` */
  id: string;
  issuer: { name: string };
  /** base64 DER PKCS#10 request made with the new version's HSM key. */
  csr: string;
  cancellation_requested: boolean;
  status: CertificateOperationStatus;
  status_details?: string;
  /** The certificate the operation made (completed) or will make. */
  target: string;
  request_id: string;
}

/** A certificate as the create/import/merge replies carry it, with the operation that made it. */
export interface CertificateCreateResult {
  operation: CertificateOperation;
  certificate?: CertificateBundle;
}

export interface IssuerBundle {
  /** `coffer://<vault>/certificates/issuers/<name>` */
  id: string;
  name: string;
  provider: 'Coffer';
  /** The issuer's parent issuer, for an intermediate CA. */
  parent?: string;
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  kty: string;
  /** base64 DER of the CA certificate and of its chain above it (nearest first). */
  cer: string;
  chain: string[];
  attributes: { enabled: boolean; created: string; updated: string };
  revokedCount: number;
  sequence: number;
}

export interface IssuerItem {
  id: string;
  name: string;
  provider: 'Coffer';
  subject: string;
  notAfter: string;
}

export interface RevocationResult {
  issuer: string;
  serialNumber: string;
  revocationDate: string;
  reason: string;
}

export interface CrlBundle {
  issuer: string;
  /** base64 DER CRL signed with the issuer's HSM key. */
  crl: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revoked: Array<{ serialNumber: string; revocationDate: string; reason: string }>;
}

export interface SignedCsrResult {
  issuer: string;
  serialNumber: string;
  /** base64 DER of the issued certificate and of the issuer chain. */
  cer: string;
  chain: string[];
}

export interface CertificateContact {
  email: string;
  name?: string;
  phone?: string;
}
export interface CertificateContacts {
  /** `coffer://<vault>/certificates/contacts` */
  id: string;
  contacts: CertificateContact[];
}

/** The content of a certificate download. */
export interface CertificateDownload {
  encoding: 'PEM' | 'DER';
  /** PEM text, or DER in base64. */
  value: string;
}
