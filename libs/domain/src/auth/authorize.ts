import { BUILT_IN_ROLES, DataAction, grants, Scope, scopeCovers } from '@coffer/contracts';

export interface Assignment {
  role: string;
  scope: Scope;
}

export type Authorization = { allowed: true } | { allowed: false; missingAction: DataAction };

/**
 * Deny by default: a request is allowed when one of the principal's role assignments covers the
 * target scope and its role grants the action. Pure; unknown roles grant nothing.
 */
export function authorize(assignments: readonly Assignment[], action: DataAction, target: Scope): Authorization {
  for (const a of assignments) {
    if (!scopeCovers(a.scope, target)) continue;
    const role = BUILT_IN_ROLES.find((r) => r.name === a.role);
    if (role?.dataActions.some((pattern) => grants(pattern, action))) return { allowed: true };
  }
  return { allowed: false, missingAction: action };
}
