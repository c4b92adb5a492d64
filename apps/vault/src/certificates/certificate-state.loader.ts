import { Injectable } from '@nestjs/common';
import { CertificatePolicy, PendingCertificateRecord, Streams } from '@coffer/contracts';
import { absentCertificate, CertificateState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel, CertificateRow, ReadModel } from '@coffer/read-model';
import { ProjectionWaiter } from '../projection/projection-waiter';

export interface LoadedCertificate {
  state: CertificateState;
  head: CertificateRow | null;
}

/**
 * Decision state of a certificate in O(1), whatever its history: the read-model head, the addressed
 * version and, for a deleted certificate, the HSM keys and data keys a purge takes with it. With no
 * row (new, purged) the expected sequence comes from the log once the read model has caught up.
 */
@Injectable()
export class CertificateStateLoader {
  constructor(
    private readonly certificates: CertificateReadModel,
    private readonly readModel: ReadModel,
    private readonly events: EventStore,
    private readonly waiter: ProjectionWaiter,
  ) {}

  async load(vault: string, name: string, version?: string | false): Promise<LoadedCertificate> {
    let head = await this.certificates.getCertificate(vault, name);
    if (!head) {
      const last = await this.events.lastSequence(Streams.events.certificate(vault, name));
      if (last === 0) return { state: absentCertificate(0), head: null };
      await this.waiter.waitFor(last);
      head = await this.certificates.getCertificate(vault, name);
      if (!head) return { state: absentCertificate(last), head: null };
    }
    const versionId = version === false ? undefined : version ?? head.currentVersion ?? undefined;
    const pending = head.pending ? (JSON.parse(head.pending) as PendingCertificateRecord) : undefined;
    const [row, hsmKeyIds, deks] = await Promise.all([
      versionId ? this.certificates.getVersion(vault, name, versionId) : null,
      head.status === 'deleted' ? this.readModel.keyHsmKeyIds(vault, name) : [],
      head.status === 'deleted' ? this.readModel.secretDeks(vault, name) : [],
    ]);
    return {
      head,
      state: {
        status: head.status,
        sequence: head.sequence,
        ...(head.currentVersion && { currentVersion: head.currentVersion }),
        policy: JSON.parse(head.policy) as CertificatePolicy,
        ...(pending && { pending }),
        deletedDate: head.deletedDate ?? undefined,
        scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
        // Versions issued with reuse_key share an HSM key: each is destroyed once.
        hsmKeyIds: [...new Set([...hsmKeyIds, ...(pending ? [pending.key.hsmKeyId] : [])])],
        deks,
        versions: row
          ? { [row.version]: { version: row.version, attributes: { enabled: row.enabled, nbf: row.nbf, exp: row.exp }, ...(row.tags && { tags: JSON.parse(row.tags) as Record<string, string> }),
            ...(row.nearExpiryNotified && { notices: { NearExpiry: row.nearExpiryNotified } }) } }
          : {},
      },
    };
  }
}
