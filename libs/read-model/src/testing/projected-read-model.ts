import { DomainEvent } from '@coffer/contracts';
import { DataSource } from 'typeorm';
import { CertificateReadModel } from '../certificate.queries';
import { clearReadModel } from '../clear-read-model';
import { projectBatch } from '../project-batch';
import { openReadModel } from '../read-model-data-source';
import { ReadModel } from '../read-model.queries';

/** An event with or without the metadata the event store adds (a decider's output has none). */
export type GivenEvent = Omit<DomainEvent, 'metadata'> & { metadata?: DomainEvent['metadata'] };

const GIVEN_AT = '2025-01-01T00:00:00.000Z';

/**
 * A read model written by the production projection and read by the production queries (tests
 * only): events are appended to a subject with the next stream sequences, as the log would, and
 * projected in one batch (projectBatch) or one by one.
 */
export class ProjectedReadModel {
  readonly readModel: ReadModel;
  readonly certificates: CertificateReadModel;
  private sequence = 0;
  private readonly lastOnSubject = new Map<string, number>();

  private constructor(readonly ds: DataSource) {
    this.readModel = new ReadModel(ds);
    this.certificates = new CertificateReadModel(ds);
  }

  /** Default: a private in-memory SQLite database. */
  static async open(dbUrl = 'sqlite::memory:'): Promise<ProjectedReadModel> {
    return new ProjectedReadModel(await openReadModel(dbUrl));
  }

  /** The sequence of the subject's last event (0: none), what the vault's loaders ask the log for. */
  lastSequence(subject: string): number {
    return this.lastOnSubject.get(subject) ?? 0;
  }

  /** Appends `events` to `subject` and projects them; `oneByOne`: a batch per event. Returns the last sequence. */
  async project(subject: string, events: readonly GivenEvent[], opts: { oneByOne?: boolean } = {}): Promise<number> {
    const batch = events.map((e) => {
      const sequence = ++this.sequence;
      const metadata = e.metadata ?? { requestId: `given-${sequence}`, occurredAt: GIVEN_AT, principalId: 'p-given', requestHash: `hash-${sequence}` };
      return { event: { ...e, metadata } as DomainEvent, subject, sequence };
    });
    if (batch.length > 0) this.lastOnSubject.set(subject, this.sequence);
    if (opts.oneByOne) for (const one of batch) await projectBatch(this.ds, [one]);
    else await projectBatch(this.ds, batch);
    return this.sequence;
  }

  /** Empties every table (checkpoint included) and forgets the log, as before a rebuild. */
  async clear(): Promise<void> {
    await clearReadModel(this.ds);
    this.sequence = 0;
    this.lastOnSubject.clear();
  }

  close(): Promise<void> {
    return this.ds.destroy();
  }
}
