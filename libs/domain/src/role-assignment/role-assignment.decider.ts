import { badParameter, BUILT_IN_ROLE_NAMES, conflict, EVENT_VERSIONS, formatScope, InnerErrorCodes, isBuiltInRole, notFound, parseScope, RoleAssignmentCreated, RoleAssignmentDeleted, RoleAssignmentEvent, vaultNotFound } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { NewEvent } from '../new-event';
import { principalNotFound } from '../principal/principal.decider';
import { RoleAssignmentCommand } from './role-assignment.commands';
import { RoleAssignmentState } from './role-assignment.state';

/** The canonical scope string, or BadParameter naming the accepted forms. */
export function requireScope(text: string): string {
  const scope = parseScope(text);
  if (!scope) {
    throw badParameter(`Scope '${text}' is invalid: use '/', '/vaults/<vault>' or '/vaults/<vault>/{secrets|keys|certificates}/<name>'.`);
  }
  return formatScope(scope);
}

/** The vault a canonical scope names, or undefined for `/`. */
export function scopeVault(scope: string): string | undefined {
  const parsed = parseScope(scope);
  return parsed && parsed.level !== 'all' ? parsed.vault : undefined;
}

/** The event each command decides (a writer types a command's outcome by it). */
export interface RoleAssignmentDecisions extends Decisions<RoleAssignmentCommand, RoleAssignmentEvent> {
  CreateRoleAssignment: RoleAssignmentCreated;
  DeleteRoleAssignment: RoleAssignmentDeleted;
}

/** decide(command, state) → events. Pure: ids and time arrive in the command. */
export function decideRoleAssignment(command: RoleAssignmentCommand, state: RoleAssignmentState): NewEvent<RoleAssignmentEvent>[] {
  switch (command.type) {
    case 'CreateRoleAssignment': {
      if (!isBuiltInRole(command.role)) {
        throw badParameter(`Role '${command.role}' is not a built-in role; valid roles: ${BUILT_IN_ROLE_NAMES.join(', ')}.`);
      }
      const scope = requireScope(command.scope);
      if (!command.principalExists) throw principalNotFound(command.principalId);
      // A grant on a vault that does not exist would silently apply to whoever creates that name later.
      const vault = scopeVault(scope);
      if (vault !== undefined && !command.vaultExists) throw vaultNotFound(vault);
      if (state.exists) {
        throw conflict(`Principal '${command.principalId}' already has role '${command.role}' at scope '${scope}'.`, InnerErrorCodes.ObjectAlreadyExists);
      }
      const event: NewEvent<RoleAssignmentCreated> = {
        type: 'RoleAssignmentCreated',
        version: EVENT_VERSIONS.RoleAssignmentCreated,
        data: { id: command.id, principalId: command.principalId, role: command.role, scope, created: command.now.toISOString() },
      };
      return [event];
    }
    case 'DeleteRoleAssignment': {
      if (!state.exists) throw notFound(`Role assignment '${command.id}' was not found.`, InnerErrorCodes.RoleAssignmentNotFound);
      const event: NewEvent<RoleAssignmentDeleted> = {
        type: 'RoleAssignmentDeleted', version: EVENT_VERSIONS.RoleAssignmentDeleted, data: { id: command.id, deleted: command.now.toISOString(), scope: state.scope },
      };
      return [event];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as RoleAssignmentCommand).type}`);
    }
  }
}
