import { DomainEvent, DomainEventType } from '@coffer/contracts';
import { sqlRunner } from '@coffer/sql';
import { EntityManager } from 'typeorm';
import { parseEventSubject } from './event-subject.parser';
import { CERTIFICATE_PROJECTIONS } from './projections/certificate.projection';
import { CONTACTS_PROJECTIONS } from './projections/contacts.projection';
import { EventProjection, projectionContext } from './projections/event-projection';
import { ISSUER_PROJECTIONS } from './projections/issuer.projection';
import { KEY_PROJECTIONS } from './projections/key.projection';
import { PRINCIPAL_PROJECTIONS } from './projections/principal.projection';
import { ROLE_ASSIGNMENT_PROJECTIONS } from './projections/role-assignment.projection';
import { SECRET_PROJECTIONS } from './projections/secret.projection';
import { VAULT_PROJECTIONS } from './projections/vault.projection';
import { UnprojectableEventError } from './read-model.errors';

/** Every event type's projection, declared per object kind (projections/). */
const PROJECTIONS: Record<DomainEventType, EventProjection> = {
  ...VAULT_PROJECTIONS, ...SECRET_PROJECTIONS, ...KEY_PROJECTIONS, ...PRINCIPAL_PROJECTIONS, ...ROLE_ASSIGNMENT_PROJECTIONS,
  ...CERTIFICATE_PROJECTIONS, ...ISSUER_PROJECTIONS, ...CONTACTS_PROJECTIONS,
};

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
