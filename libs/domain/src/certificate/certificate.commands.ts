import { CertificatePolicy, CertificateVersionAttributes, CertificateVersionParts, PendingCertificateRecord } from '@coffer/contracts';

/** A version issued synchronously (Self or a Coffer issuer): certificate, key and secret already made. */
export interface IssueCertificate {
  type: 'IssueCertificate';
  name: string;
  policy: CertificatePolicy;
  issuerName: string;
  parts: CertificateVersionParts;
  /** Check-and-set on the current version id or the sequence (the scheduler's AutoRenew). */
  ifMatch?: string;
  now: Date;
}

/** Issuer Unknown: the key exists, the CSR waits for an external CA. */
export interface StartCertificateOperation {
  type: 'StartCertificateOperation';
  name: string;
  policy: CertificatePolicy;
  pending: PendingCertificateRecord;
  ifMatch?: string;
  now: Date;
}

/** The external CA's chain for the pending operation; the handler checked that its key is the pending key. */
export interface MergeCertificate {
  type: 'MergeCertificate';
  name: string;
  parts: CertificateVersionParts;
  now: Date;
}

/** Cancel (Azure's cancellation) or delete the pending operation: its key is destroyed either way. */
export interface CancelCertificateOperation {
  type: 'CancelCertificateOperation';
  name: string;
  deleted: boolean;
  now: Date;
}

export interface ImportCertificate {
  type: 'ImportCertificate';
  name: string;
  policy: CertificatePolicy;
  parts: CertificateVersionParts;
  now: Date;
}

export interface SetCertificatePolicy {
  type: 'SetCertificatePolicy';
  name: string;
  policy: CertificatePolicy;
  now: Date;
}

export interface UpdateCertificateAttributes {
  type: 'UpdateCertificateAttributes';
  name: string;
  version?: string;
  enabled?: boolean;
  tags?: Record<string, string>;
  ifMatch?: string;
  now: Date;
}

export interface DeleteCertificate {
  type: 'DeleteCertificate';
  name: string;
  retentionDays: number;
  recoveryId: string;
  now: Date;
}

export interface RecoverCertificate {
  type: 'RecoverCertificate';
  name: string;
  now: Date;
}

export interface PurgeCertificate {
  type: 'PurgeCertificate';
  name: string;
  purgeProtection: boolean;
  now: Date;
}

export interface RestoreCertificate {
  type: 'RestoreCertificate';
  name: string;
  policy: CertificatePolicy;
  versions: CertificateVersionParts[];
  now: Date;
}

/**
 * The policy's EmailContacts action fell due for a version: recorded once per version and exp,
 * addressed to `contacts` (the vault's contact emails now; may be empty). `windowMs`: the warning
 * window when the policy has no EmailContacts action (the scheduler only sends it when it has one).
 */
export interface NotifyCertificateExpiry {
  type: 'NotifyCertificateExpiry';
  name: string;
  version: string;
  contacts: string[];
  windowMs: number;
  now: Date;
}

export type CertificateCommand =
  | IssueCertificate
  | StartCertificateOperation
  | MergeCertificate
  | CancelCertificateOperation
  | ImportCertificate
  | SetCertificatePolicy
  | UpdateCertificateAttributes
  | DeleteCertificate
  | RecoverCertificate
  | PurgeCertificate
  | RestoreCertificate
  | NotifyCertificateExpiry;

export type { CertificateVersionAttributes };
