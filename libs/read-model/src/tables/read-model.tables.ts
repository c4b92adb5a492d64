import { AnyTableSpec } from '@coffer/sql';
import { certificateContactsTable, certificateIssuersTable, certificateRevocationsTable, certificatesTable, certificateVersionsTable } from './certificate.tables';
import { keyRotationPoliciesTable, keysTable, keyVersionsTable } from './key.tables';
import { principalCredentialsTable, principalsTable, roleAssignmentsTable } from './principal.tables';
import { appliedRequestsTable, projectionCheckpointsTable, subjectHeadsTable, voidedEventsTable } from './projection.tables';
import { secretsTable, secretVersionsTable } from './secret.tables';
import { vaultsTable } from './vault.tables';

/** Every read-model table (what a rebuild clears, what a dump compares, what the migrations must create). */
export const READ_MODEL_TABLES: readonly AnyTableSpec[] = [
  vaultsTable, secretsTable, secretVersionsTable, projectionCheckpointsTable, appliedRequestsTable, principalsTable, principalCredentialsTable,
  roleAssignmentsTable, keysTable, keyVersionsTable, keyRotationPoliciesTable,
  certificatesTable, certificateVersionsTable, certificateIssuersTable, certificateRevocationsTable, certificateContactsTable,
  subjectHeadsTable, voidedEventsTable,
];
