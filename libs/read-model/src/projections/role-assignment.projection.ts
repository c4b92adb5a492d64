import { RoleAssignmentEvent } from '@coffer/contracts';
import { SystemSubject } from '../event-subject';
import { kindProjections } from './event-projection';

/** Role assignment events → role_assignments. */
export const ROLE_ASSIGNMENT_PROJECTIONS = kindProjections<RoleAssignmentEvent, SystemSubject<'roleAssignment'>>('roleAssignment', (subject, event) => event.data.id === subject.id, {
  RoleAssignmentCreated: async ({ data: d }, _subject, { run, sql, sequence }) => {
    await run(sql.s.assignmentUpsert, [d.id, d.principalId, d.role, d.scope, d.created, sequence]);
  },
  RoleAssignmentDeleted: async ({ data: d }, _subject, { run, sql }) => {
    await run(sql.s.assignmentDelete, [d.id]);
  },
});
