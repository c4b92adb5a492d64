import { DomainEvent, DomainEventType } from '@coffer/contracts';
import { sqlRunner } from '@coffer/sql';
import { EntityManager } from 'typeorm';
import { parseEventSubject } from './event-subject.parser';
import { READ_MODEL_KINDS } from './kinds/read-model-kinds';
import { EventProjection, projectionContext } from './projections/event-projection';
import { UnprojectableEventError } from './read-model.errors';

/** Every event type's projection, declared per object kind (kinds/; read-model-kinds.spec.ts checks that every type has one). */
const PROJECTIONS: Partial<Record<DomainEventType, EventProjection>> = Object.assign({}, ...READ_MODEL_KINDS.map((kind) => kind.projections));

/**
 * Folds one event into the rows. Callers apply events in stream order and only those after the
 * checkpoint (see projectBatch), which is what makes redelivery harmless. Events about rows that do
 * not exist (which the deciders never produce) change nothing rather than fail.
 */
export async function applyEvent(manager: EntityManager, event: DomainEvent, sequence: number, subject: string): Promise<void> {
  const target = parseEventSubject(subject);
  const project = Object.hasOwn(PROJECTIONS, event.type) ? PROJECTIONS[event.type] : undefined;
  if (!project) throw new UnprojectableEventError(`no projection for event type ${event.type}`);
  const run = sqlRunner(manager);
  const ctx = projectionContext(manager, run, sequence);
  await project(event, target, ctx);
  const { principalId, requestId, requestHash, occurredAt } = event.metadata;
  // Events from before request ids were scoped carry no principal: no retry can match them.
  if (principalId !== undefined && requestHash !== undefined) {
    await run(ctx.sql.s.appliedInsert, [principalId, requestId, subject, sequence, requestHash, Date.parse(occurredAt) || 0]);
  }
}
