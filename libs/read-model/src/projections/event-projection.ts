import { DomainEvent } from '@coffer/contracts';
import { SqlRunner } from '@coffer/sql';
import { DataSource, EntityManager } from 'typeorm';
import { CertificateSql, certificateSqlFor } from '../certificate.sql';
import { EventSubject } from '../event-subject';
import { LifecycleSql, lifecycleSqlFor } from '../lifecycle.sql';
import { UnprojectableEventError } from '../read-model.errors';
import { Sql, sqlFor } from '../sql-statements';

/** What a projection writes with: the caller's transaction and the event's stream sequence. */
export interface ProjectionContext {
  run: SqlRunner;
  /** For a kind's own statement set (`noteSqlFor(ctx.dataSource)`, a statementSet: built once per data source). */
  dataSource: DataSource;
  sql: Sql;
  certificateSql: CertificateSql;
  lifecycleSql: LifecycleSql;
  sequence: number;
}

export function projectionContext(manager: EntityManager, run: SqlRunner, sequence: number): ProjectionContext {
  const ds = manager.connection;
  return { run, dataSource: ds, sql: sqlFor(ds), certificateSql: certificateSqlFor(ds), lifecycleSql: lifecycleSqlFor(ds), sequence };
}

/** Folds one event into the rows of its object (named by its subject). */
export type Projection<E extends DomainEvent, S extends EventSubject> = (event: E, subject: S, ctx: ProjectionContext) => Promise<void>;

/** Folds an event into the rows once its subject is checked to be its object's. */
export type EventProjection = (event: DomainEvent, subject: EventSubject, ctx: ProjectionContext) => Promise<void>;

/**
 * One object kind's projections: one per event type of the kind (a missing one is a compile error),
 * each run only on a subject of that kind that `owns` the event (the event names the subject's object).
 */
export function kindProjections<E extends DomainEvent, S extends EventSubject>(
  kind: S['kind'],
  owns: (subject: S, event: E) => boolean,
  projections: { [T in E['type']]: Projection<Extract<E, { type: T }>, S> },
): Record<E['type'], EventProjection> {
  const bound = Object.entries(projections).map(([type, project]): [string, EventProjection] => [type, async (event, subject, ctx) => {
    if (subject.kind !== kind || !owns(subject as S, event as E)) throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
    await (project as Projection<E, S>)(event as E, subject as S, ctx);
  }]);
  return Object.fromEntries(bound) as Record<E['type'], EventProjection>;
}
