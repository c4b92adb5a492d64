import { bigint, bool, defineTable, integer, RowOf, varchar } from '@coffer/sql';

/** One vault's current settings. */
export const vaultsTable = defineTable('vaults', {
  name: varchar(), kekId: varchar(), retentionDays: integer(), purgeProtection: bool(), created: varchar(), updated: varchar(),
  /** Stream sequence of the last event on the vault's subject (its expected-last-subject-sequence). */
  sequence: bigint(),
}, { primaryKey: ['name'] });
export type VaultRow = RowOf<typeof vaultsTable.columns>;
