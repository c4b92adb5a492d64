import { VaultFeature } from '../vault-feature';
import { CreateRoleAssignmentHandler } from './create-role-assignment.handler';
import { DeleteRoleAssignmentHandler } from './delete-role-assignment.handler';
import { ListRoleAssignmentsHandler } from './list-role-assignments.handler';
import { ListRolesHandler } from './list-roles.handler';
import { RoleAssignmentStateLoader } from './role-assignment-state.loader';
import { RoleAssignmentWriter } from './role-assignment-writer';

/** RBAC: the built-in roles and their assignments to principals at a scope. */
export const ROLE_FEATURE: VaultFeature = {
  controllers: [ListRolesHandler, CreateRoleAssignmentHandler, ListRoleAssignmentsHandler, DeleteRoleAssignmentHandler],
  providers: [RoleAssignmentStateLoader, RoleAssignmentWriter],
};
