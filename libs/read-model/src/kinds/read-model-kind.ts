import { DomainEventType, ObjectKind } from '@coffer/contracts';
import { AnyTableSpec } from '@coffer/sql';
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
 * live on, its tables (rebuild, dump, schema check), one projection per event type and, for
 * soft-deletable kinds, the scheduler's purge scan. Migrations stay in their ordered list
 * (migrations/read-model-migrations.ts): frozen history, some spanning kinds.
 */
export interface ReadModelKind {
  subjects: readonly SubjectRule[];
  tables: readonly AnyTableSpec[];
  projections: Partial<Record<DomainEventType, EventProjection>>;
  purgeable?: PurgeableObjects;
}
