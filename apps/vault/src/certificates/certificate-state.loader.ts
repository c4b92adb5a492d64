import { Injectable } from '@nestjs/common';
import { Streams } from '@coffer/contracts';
import { absentCertificate, CertificateState } from '@coffer/domain';
import { EventStore } from '@coffer/event-store';
import { CertificateReadModel, CertificateRow, ReadModel, readCertificateDecisionState } from '@coffer/read-model';
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
    const read = () => readCertificateDecisionState(this.certificates, this.readModel, vault, name, version);
    const loaded = await read();
    if (loaded) return loaded;
    const last = await this.events.lastSequence(Streams.events.certificate(vault, name));
    if (last === 0) return { state: absentCertificate(0), head: null };
    await this.waiter.waitFor(last);
    return (await read()) ?? { state: absentCertificate(last), head: null };
  }
}
