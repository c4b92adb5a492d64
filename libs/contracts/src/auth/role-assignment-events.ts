import { changeOf, ChangeSpec } from '../changes/change-spec';
import { EventCatalogue } from '../events/event-catalogue';
import { EventEnvelope } from '../events/event-envelope';
import { need } from '../events/shape-checks';
import { VAULT_NAME } from '../limits';
import { SYSTEM_SCOPE } from './auth-subjects';

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

/**
 * The vault of a recorded scope (`/vaults/<vault>[/<objects>/<name>]`; undefined for `/`). Recorded
 * scopes are canonical (the decider writes formatScope(parseScope(…))), so reading the vault token
 * is enough; parseScope itself would import every kind's ObjectKind, which includes this catalogue's.
 */
function scopeVault(scope: string): string | undefined {
  const [, root, vault] = scope.split('/');
  return root === 'vaults' && VAULT_NAME.test(vault ?? '') ? vault : undefined;
}

/** Role assignments live under _system; their changes name the vault their scope is in (_system for the root). */
function changes(event: RoleAssignmentEvent): ChangeSpec[] {
  const vault = (event.data.scope === undefined ? undefined : scopeVault(event.data.scope)) ?? SYSTEM_SCOPE;
  return [changeOf<RoleAssignmentChangeType>('RoleAssignment')(event.type, event.data.id, {}, vault), changeOf<RoleAssignmentChangeType>('Vault')('VaultAccessPolicyChanged', vault, {}, vault)];
}

/** Role assignment events (subject `coffer.events._system.roleassignment.<id>`): schema, shape check, change feed. */
export const ROLE_ASSIGNMENT_EVENTS: EventCatalogue<RoleAssignmentEvent> = {
  RoleAssignmentCreated: { version: 1, shape: (d) => need(d, ['id', 'principalId', 'role', 'scope', 'created']), changes },
  RoleAssignmentDeleted: { version: 1, shape: (d) => need(d, ['id', 'deleted']), changes },
};
