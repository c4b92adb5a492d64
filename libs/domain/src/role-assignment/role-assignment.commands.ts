export interface CreateRoleAssignment {
  type: 'CreateRoleAssignment';
  id: string;
  principalId: string;
  /** Whether the assignee exists (looked up by the handler). */
  principalExists: boolean;
  /** Whether the vault the scope names exists (looked up by the handler; true for `/`). */
  vaultExists: boolean;
  role: string;
  scope: string;
  now: Date;
}

export interface DeleteRoleAssignment {
  type: 'DeleteRoleAssignment';
  id: string;
  now: Date;
}

export type RoleAssignmentCommand = CreateRoleAssignment | DeleteRoleAssignment;
