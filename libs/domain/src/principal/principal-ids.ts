import { createHash, randomBytes } from 'node:crypto';

/**
 * Principal ids are derived from the name (`p-` + 16 hex of SHA-256): one name is one event
 * subject, so optimistic concurrency on that subject makes names unique even across replicas
 * (two concurrent creates of one name: the second gets Conflict). Names are never reused.
 */
export const principalIdFor = (name: string): string => `p-${createHash('sha256').update(`principal\n${name}`).digest('hex').slice(0, 16)}`;

/**
 * Role-assignment ids are derived from (principal, role, scope) likewise, so the same assignment
 * twice is a Conflict on one subject; after a delete the same id can be assigned again.
 */
export const roleAssignmentIdFor = (principalId: string, role: string, scope: string): string =>
  `ra-${createHash('sha256').update(`roleassignment\n${principalId}\n${role}\n${scope}`).digest('hex').slice(0, 16)}`;

export const newCredentialId = (): string => `c-${randomBytes(8).toString('hex')}`;
