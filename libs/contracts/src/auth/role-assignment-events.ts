import { changeOf, ChangeSpec } from '../changes/change-spec';
import { EventCatalogue } from '../events/event-catalogue';
import { EventEnvelope } from '../events/event-envelope';
import { need } from '../events/shape-checks';
import { SYSTEM_SCOPE } from './auth-subjects';
import { parseScope } from './scopes';

export type RoleAssignmentCreated = EventEnvelope<
  'RoleAssignmentCreated',
  { id: string; principalId: string; role: string; scope: string; created: string }
>;
/** `scope` (state-carrying, so the change feed can name the vault) is absent in events recorded before it was added. */
export type RoleAssignmentDeleted = EventEnvelope<'RoleAssignmentDeleted', { id: string; deleted: string; scope?: string }>;
export type RoleAssignmentEvent = RoleAssignmentCreated | RoleAssignmentDeleted;

/** The change-feed types of role assignment events (see CHANGE_EVENT_TYPES). */
export const ROLE_ASSIGNMENT_CHANGE_TYPES = ['RoleAssignmentCreated', 'RoleAssignmentDeleted', 'VaultAccessPolicyChanged'] as const;
type RoleAssignmentChangeType = (typeof ROLE_ASSIGNMENT_CHANGE_TYPES)[number];

/** Role assignments live under _system; their changes name the vault their scope is in (_system for the root). */
function changes(event: RoleAssignmentEvent): ChangeSpec[] {
  const scope = event.data.scope === undefined ? undefined : parseScope(event.data.scope);
  const vault = scope && scope.level !== 'all' ? scope.vault : SYSTEM_SCOPE;
  return [changeOf<RoleAssignmentChangeType>('RoleAssignment')(event.type, event.data.id, {}, vault), changeOf<RoleAssignmentChangeType>('Vault')('VaultAccessPolicyChanged', vault, {}, vault)];
}

/** Role assignment events (subject `coffer.events._system.roleassignment.<id>`): schema, shape check, change feed. */
export const ROLE_ASSIGNMENT_EVENTS: EventCatalogue<RoleAssignmentEvent> = {
  RoleAssignmentCreated: { version: 1, shape: (d) => need(d, ['id', 'principalId', 'role', 'scope', 'created']), changes },
  RoleAssignmentDeleted: { version: 1, shape: (d) => need(d, ['id', 'deleted']), changes },
};
