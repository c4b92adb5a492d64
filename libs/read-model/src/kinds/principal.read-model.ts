import { PrincipalsReadModel1767225600000 } from '../migrations/1767225600000-principals-read-model.migration';
import { PRINCIPAL_PROJECTIONS } from '../projections/principal.projection';
import { ROLE_ASSIGNMENT_PROJECTIONS } from '../projections/role-assignment.projection';
import { principalCredentialsTable, principalsTable, roleAssignmentsTable } from '../tables/principal.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/principal.tables';
export * from '../decision-state/principal.decision-state';
export * from '../decision-state/role-assignment.decision-state';

/** Principals and role assignments (system subjects). */
export const PRINCIPAL_READ_MODEL: ReadModelKind = {
  subjects: [
    { token: 'principal', kind: 'principal', shape: 'system' },
    { token: 'roleassignment', kind: 'roleAssignment', shape: 'system' },
  ],
  tables: [principalsTable, principalCredentialsTable, roleAssignmentsTable],
  migrations: [PrincipalsReadModel1767225600000],
  projections: { ...PRINCIPAL_PROJECTIONS, ...ROLE_ASSIGNMENT_PROJECTIONS },
};
