import { DomainEventType, ObjectKind } from '@coffer/contracts';
import { AnyTableSpec } from '@coffer/sql';
import { MigrationInterface } from 'typeorm';
import { EventProjection } from '../projections/event-projection';

/**
 * How a subject names its object: `coffer.events.<vault>.<token>.<name>` (named), `coffer.events.<vault>.<token>`
 * (one per vault) or `coffer.events._system.<token>.<id>` (system).
 */
export type SubjectShape = 'named' | 'vault' | 'system';

/** One subject token of a kind and the `EventSubject.kind` it parses to. */
export interface SubjectRule {
  token: string;
  kind: string;
  shape: SubjectShape;
}

/** A TypeORM migration class, named `<Name><timestamp>`. */
export type MigrationClass = new () => MigrationInterface;

/** Where the scheduler finds a kind's soft-deleted objects due for purge. */
export interface PurgeableObjects {
  /** The RBAC object kind, also the client accessor that purges (`client.secrets(vault).purge`). */
  objects: ObjectKind;
  /** The head table (vault, name, status, scheduledPurgeDate). */
  heads: AnyTableSpec;
  /** Skip rows another object manages (a certificate's key and secret are purged with their certificate). */
  skipManaged: boolean;
}

/**
 * Everything the read model knows about one object kind, in one place: the subjects its events
 * live on, its tables (rebuild, dump, schema check) and the migrations that create them, one
 * projection per event type and, for soft-deletable kinds, the scheduler's purge scan.
 */
export interface ReadModelKind {
  subjects: readonly SubjectRule[];
  tables: readonly AnyTableSpec[];
  /**
   * The migrations of the kind's own tables (frozen history: add one, never edit one). READ_MODEL_MIGRATIONS
   * runs them with the cross-kind ones in timestamp order (the 13 digits ending the class name).
   */
  migrations?: readonly MigrationClass[];
  projections: Partial<Record<DomainEventType, EventProjection>>;
  purgeable?: PurgeableObjects;
}
