export type RoleAssignmentState =
  | { exists: false; sequence: number }
  | { exists: true; id: string; principalId: string; role: string; scope: string; sequence: number };

export const noRoleAssignment = (sequence = 0): RoleAssignmentState => ({ exists: false, sequence });
