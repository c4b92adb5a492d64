import { RoleAssignmentState } from '@coffer/domain';
import { ReadModel } from '../read-model.queries';
import { RoleAssignmentRow } from '../tables/principal.tables';

export function roleAssignmentDecisionState(row: RoleAssignmentRow): RoleAssignmentState {
  return { exists: true, id: row.id, principalId: row.principalId, role: row.role, scope: row.scope, sequence: row.sequence };
}

/** Reads a role assignment's decision state; null without a row (never created, or deleted). */
export async function readRoleAssignmentDecisionState(readModel: ReadModel, id: string): Promise<RoleAssignmentState | null> {
  const row = await readModel.getRoleAssignment(id);
  return row && roleAssignmentDecisionState(row);
}
