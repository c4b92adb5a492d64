import { ROLE_ASSIGNMENT_CHANGE_TYPES, ROLE_ASSIGNMENT_EVENTS } from '../auth/role-assignment-events';
import { contractKind, eventKind } from './contract-kind';

export * from '../auth/role-assignment-events';

/** Role assignments: system subjects (SystemStreams), requests in AuthSubjects. */
export const ROLE_ASSIGNMENT_CONTRACT = contractKind({
  events: eventKind(ROLE_ASSIGNMENT_EVENTS, ROLE_ASSIGNMENT_CHANGE_TYPES),
  change: { objectType: 'RoleAssignment', path: 'roleassignments' },
});
