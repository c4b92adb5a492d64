import { CertificatePolicy, CertificateVersionAttributes, CertificateVersionParts, PendingCertificateRecord } from '@coffer/contracts';

/** A version issued synchronously (Self or a Coffer issuer): certificate, key and secret already made. */
export interface IssueCertificate {
  type: 'IssueCertificate';
  name: string;
  policy: CertificatePolicy;
  issuerName: string;
  parts: CertificateVersionParts;
  now: Date;
}

/** Issuer Unknown: the key exists, the CSR waits for an external CA. */
export interface StartCertificateOperation {
  type: 'StartCertificateOperation';
  name: string;
  policy: CertificatePolicy;
  pending: PendingCertificateRecord;
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
  | RestoreCertificate;

export type { CertificateVersionAttributes };
