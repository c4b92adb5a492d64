import {
  CertificateAttributes, CertificateBundle, CertificateItem, CertificateOperation, CertificatePolicy, DeletedCertificateBundle, DeletedCertificateItem,
  IssuerBundle, IssuerItem, IssuerRecord, PendingCertificateRecord,
} from '@coffer/contracts';
import { CertificateIssuerRow, CertificateRow, CertificateVersionRow, VaultRow } from '@coffer/read-model';
import { keyId } from '../keys/key-ids';
import { recoveryLevel } from '../vaults/vault-info.mapper';
import { certificateId, issuerId, pendingId, secretId } from './certificate-ids';

export function certificateAttributesOf(vault: VaultRow, row: CertificateVersionRow): CertificateAttributes {
  return {
    enabled: row.enabled, nbf: row.nbf, exp: row.exp, created: row.created, updated: row.updated,
    recoveryLevel: recoveryLevel(vault), recoverableDays: vault.retentionDays,
  };
}

const tagsOf = (row: CertificateVersionRow) => (row.tags ? { tags: JSON.parse(row.tags) as Record<string, string> } : {});

/** `withVersion`: ids end in the version (version lists); otherwise in the name (certificate lists). */
export function toCertificateItem(vault: VaultRow, name: string, row: CertificateVersionRow, withVersion: boolean): CertificateItem {
  return {
    id: certificateId(vault.name, name, withVersion ? row.version : undefined),
    name,
    ...(withVersion && { version: row.version }),
    x5t: row.x5t,
    attributes: certificateAttributesOf(vault, row),
    ...tagsOf(row),
  };
}

export function toCertificateBundle(vault: VaultRow, head: CertificateRow, row: CertificateVersionRow): CertificateBundle {
  return {
    ...toCertificateItem(vault, head.name, row, true),
    id: certificateId(vault.name, head.name, row.version),
    version: row.version,
    kid: keyId(vault.name, head.name, row.version),
    sid: secretId(vault.name, head.name, row.version),
    cer: row.cer,
    serialNumber: row.serialNumber,
    subject: row.subject,
    issuer: row.issuer,
    ...(row.chain !== '[]' && { chain: JSON.parse(row.chain) as string[] }),
    policy: JSON.parse(head.policy) as CertificatePolicy,
    sequence: head.sequence,
  };
}

const deletion = (head: CertificateRow) => ({ recoveryId: head.recoveryId ?? '', deletedDate: head.deletedDate ?? '', scheduledPurgeDate: head.scheduledPurgeDate ?? '' });
export const toDeletedCertificateItem = (vault: VaultRow, head: CertificateRow, row: CertificateVersionRow): DeletedCertificateItem =>
  ({ ...toCertificateItem(vault, head.name, row, false), ...deletion(head) });
export const toDeletedCertificateBundle = (vault: VaultRow, head: CertificateRow, row: CertificateVersionRow): DeletedCertificateBundle =>
  ({ ...toCertificateBundle(vault, head, row), ...deletion(head) });

/** An operation in flight (issuer Unknown): the CSR waits for a merge. */
export function pendingOperation(vault: string, name: string, pending: PendingCertificateRecord): CertificateOperation {
  return {
    id: pendingId(vault, name), issuer: { name: pending.issuerName }, csr: pending.csr, cancellation_requested: false, status: 'inProgress',
    status_details: 'Waiting for the certificate signed by the external CA (merge).', target: certificateId(vault, name), request_id: pending.requestId,
  };
}

/** An operation that ended: completed (Self and Coffer issuers complete at once, merges complete a pending one) or cancelled. */
export function finishedOperation(vault: string, name: string, issuerName: string, csr: string, requestId: string, status: 'completed' | 'cancelled'): CertificateOperation {
  return { id: pendingId(vault, name), issuer: { name: issuerName }, csr, cancellation_requested: status === 'cancelled', status, target: certificateId(vault, name), request_id: requestId };
}

export function toIssuerBundle(vault: string, row: CertificateIssuerRow, revokedCount: number): IssuerBundle {
  const r = JSON.parse(row.record) as IssuerRecord;
  return {
    id: issuerId(vault, r.name), name: r.name, provider: 'Coffer', ...(r.parent && { parent: r.parent }), subject: r.subject, serialNumber: r.serialNumber,
    notBefore: r.notBefore, notAfter: r.notAfter, kty: `${r.kty}-HSM`, cer: r.cer, chain: r.chain,
    attributes: { enabled: true, created: row.created, updated: row.updated }, revokedCount, sequence: row.sequence,
  };
}

export function toIssuerItem(vault: string, row: CertificateIssuerRow): IssuerItem {
  const r = JSON.parse(row.record) as IssuerRecord;
  return { id: issuerId(vault, r.name), name: r.name, provider: 'Coffer', subject: r.subject, notAfter: r.notAfter };
}
