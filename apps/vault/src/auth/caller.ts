import { PrincipalRow, RoleAssignmentRow } from '@coffer/read-model';
import { Assignment } from '@coffer/domain';

/** Who sent a request, once its token was verified. */
export interface Caller {
  principal: PrincipalRow;
  assignments: RoleAssignmentRow[];
  grants: Assignment[];
  tokenExpiresOn: string;
}
