import { bigint, bool, defineTable, integer, RowOf, text, varchar } from '@coffer/sql';

export type SecretStatus = 'active' | 'deleted';

/** One secret object (all its versions share it). Removed on purge, so a name can be reused. */
export const secretsTable = defineTable('secrets', {
  vault: varchar(), name: varchar(), status: varchar<SecretStatus>(), currentVersion: varchar(),
  /** Stream sequence of the last event on the secret's subject. */
  sequence: bigint(),
  /** Keyring sequence of the object's current data key. */
  dek: integer(),
  versionCount: integer(), created: varchar(),
  /** Time of the latest new version, attribute update or restore; delete and recover keep it. */
  updated: varchar(),
  deletedDate: varchar().nullable(), scheduledPurgeDate: varchar().nullable(), recoveryId: varchar().nullable(),
  /** 'certificate' for the secret of a certificate: only certificate commands change it. */
  managedBy: varchar().nullable(),
}, { primaryKey: ['vault', 'name'] });
export type SecretRow = RowOf<typeof secretsTable.columns>;

/** One version of a secret; `value` is the JSON of its EncryptedValue (ciphertext only). */
export const secretVersionsTable = defineTable('secret_versions', {
  vault: varchar(), name: varchar(), version: varchar(),
  /** 1, 2, 3… in creation order within the object: the paging cursor for version lists. */
  ordinal: integer(),
  value: text(), dek: integer(), enabled: bool(), nbf: varchar().nullable(), exp: varchar().nullable(), contentType: varchar().nullable(),
  /** JSON object of tags, or null when the version has none. */
  tags: text().nullable(),
  created: varchar(), updated: varchar(),
  /** The exp a NearExpiry notice was recorded for (null: none yet); see ExpiryNotices migration. */
  nearExpiryNotified: varchar().nullable(),
  /** The exp an Expired notice was recorded for (null: none yet). */
  expiredNotified: varchar().nullable(),
}, { primaryKey: ['vault', 'name', 'version'] });
export type SecretVersionRow = RowOf<typeof secretVersionsTable.columns>;
