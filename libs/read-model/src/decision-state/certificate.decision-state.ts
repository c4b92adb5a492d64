import { CertificatePolicy, PendingCertificateRecord } from '@coffer/contracts';
import { CertificateState, CertificateVersionState } from '@coffer/domain';
import { CertificateReadModel } from '../certificate.queries';
import { ReadModel } from '../read-model.queries';
import { CertificateRow, CertificateVersionRow } from '../tables/certificate.tables';

export function certificateVersionState(row: CertificateVersionRow): CertificateVersionState {
  return {
    version: row.version,
    attributes: { enabled: row.enabled, nbf: row.nbf, exp: row.exp },
    ...(row.tags && { tags: JSON.parse(row.tags) as Record<string, string> }),
    ...(row.nearExpiryNotified && { notices: { NearExpiry: row.nearExpiryNotified } }),
  };
}

/** What a purge of a deleted certificate takes with it: its versions' HSM keys and data keys. */
export interface DeletedCertificateMaterial {
  hsmKeyIds: string[];
  deks: number[];
}

/** A certificate's decision state from its head row, the addressed version and, for a deleted certificate, what a purge takes with it. */
export function certificateDecisionState(head: CertificateRow, version: CertificateVersionRow | null, deleted: DeletedCertificateMaterial): CertificateState {
  const pending = head.pending ? (JSON.parse(head.pending) as PendingCertificateRecord) : undefined;
  const hsmKeyIds = head.status === 'deleted' ? deleted.hsmKeyIds : [];
  return {
    status: head.status,
    sequence: head.sequence,
    ...(head.currentVersion && { currentVersion: head.currentVersion }),
    policy: JSON.parse(head.policy) as CertificatePolicy,
    ...(pending && { pending }),
    deletedDate: head.deletedDate ?? undefined,
    scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
    // Versions issued with reuse_key share an HSM key: each is destroyed once.
    hsmKeyIds: [...new Set([...hsmKeyIds, ...(pending ? [pending.key.hsmKeyId] : [])])],
    deks: head.status === 'deleted' ? deleted.deks : [],
    versions: version ? { [version.version]: certificateVersionState(version) } : {},
  };
}

/**
 * Reads what a certificate command decides on, in O(1) whatever its history. `version`: the
 * version addressed (default: the current one); `false`: none. Null when the certificate has no row.
 */
export async function readCertificateDecisionState(
  certificates: CertificateReadModel, readModel: ReadModel, vault: string, name: string, version?: string | false,
): Promise<{ head: CertificateRow; state: CertificateState } | null> {
  const head = await certificates.getCertificate(vault, name);
  if (!head) return null;
  const versionId = version === false ? undefined : version ?? head.currentVersion ?? undefined;
  const deleted = head.status === 'deleted';
  const [row, hsmKeyIds, deks] = await Promise.all([
    versionId ? certificates.getVersion(vault, name, versionId) : null,
    deleted ? readModel.keyHsmKeyIds(vault, name) : [],
    deleted ? readModel.secretDeks(vault, name) : [],
  ]);
  return { head, state: certificateDecisionState(head, row, { hsmKeyIds, deks }) };
}
