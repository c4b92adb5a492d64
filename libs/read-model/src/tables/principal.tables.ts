import { bigint, bool, defineTable, RowOf, varchar } from '@coffer/sql';

/** One principal (user or service principal). Disabled principals stay (enabled = false). */
export const principalsTable = defineTable('principals', {
  id: varchar(), name: varchar(), type: varchar<'user' | 'servicePrincipal'>(), enabled: bool(), created: varchar(),
  /** Stream sequence of the last event on the principal's subject. */
  sequence: bigint(),
  /** Tokens issued before this time (ISO 8601) are revoked; null when none ever were. */
  revokedBefore: varchar().nullable(),
}, { primaryKey: ['id'] });
export type PrincipalRow = RowOf<typeof principalsTable.columns>;

/** A credential: a client secret only as its hash (keyed, or scrypt until first use), an Ed25519 key only as its public key. */
export const principalCredentialsTable = defineTable('principal_credentials', {
  id: varchar(), principalId: varchar(), kind: varchar<'secret' | 'ed25519'>(),
  hash: varchar().nullable(), publicKey: varchar().nullable(), hint: varchar().nullable(), created: varchar(), expires: varchar().nullable(),
}, { primaryKey: ['id'] });
export type PrincipalCredentialRow = RowOf<typeof principalCredentialsTable.columns>;

/** One role assignment (principal, built-in role, scope string such as /vaults/prod). */
export const roleAssignmentsTable = defineTable('role_assignments', {
  id: varchar(), principalId: varchar(), role: varchar(), scope: varchar(), created: varchar(), sequence: bigint(),
}, { primaryKey: ['id'] });
export type RoleAssignmentRow = RowOf<typeof roleAssignmentsTable.columns>;
