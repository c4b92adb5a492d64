import { PrincipalInfo, RoleAssignmentInfo } from '@coffer/contracts';
import { PrincipalCredentialRow, PrincipalRow, RoleAssignmentRow } from '@coffer/read-model';

/** What callers see of a principal: never a hash, only a secret's hint. */
export function toPrincipalInfo(row: PrincipalRow, credentials: PrincipalCredentialRow[]): PrincipalInfo {
  return {
    id: row.id, name: row.name, type: row.type, enabled: row.enabled, created: row.created,
    credentials: credentials.map((c) => ({
      id: c.id, kind: c.kind, ...(c.hint && { hint: c.hint }), created: c.created, ...(c.expires && { expires: c.expires }),
    })),
  };
}

export const toRoleAssignmentInfo = (r: RoleAssignmentRow): RoleAssignmentInfo => ({
  id: r.id, principalId: r.principalId, role: r.role, scope: r.scope, created: r.created,
});
