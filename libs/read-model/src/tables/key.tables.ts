import { bigint, bool, defineTable, integer, RowOf, text, varchar } from '@coffer/sql';

export type KeyStatus = 'active' | 'deleted';

/** One key object (all its versions share it). Removed on purge, so a name can be reused. */
export const keysTable = defineTable('keys', {
  vault: varchar(), name: varchar(), status: varchar<KeyStatus>(), currentVersion: varchar(),
  /** Stream sequence of the last event on the key's subject. */
  sequence: bigint(),
  versionCount: integer(), created: varchar(),
  /** Time of the latest version or attribute change; delete, recover and policy changes keep it. */
  updated: varchar(),
  deletedDate: varchar().nullable(), scheduledPurgeDate: varchar().nullable(), recoveryId: varchar().nullable(),
  /** 'certificate' for the key of a certificate: only certificate commands change it. */
  managedBy: varchar().nullable(),
}, { primaryKey: ['vault', 'name'] });
export type KeyRow = RowOf<typeof keysTable.columns>;

/**
 * One version of a key: its public half and where its HSM objects are; never private or secret
 * material (that exists only inside the HSM).
 */
export const keyVersionsTable = defineTable('key_versions', {
  vault: varchar(), name: varchar(), version: varchar(),
  /** 1, 2, 3… in creation order within the object: the paging cursor for version lists. */
  ordinal: integer(),
  /** `<vault>/<name>/<32 hex>`: the crypto-worker's name for this version's HSM objects. */
  hsmKeyId: varchar(),
  /** RSA-HSM, EC-HSM or oct-HSM. */
  kty: varchar(),
  keySize: integer().nullable(), crv: varchar().nullable(),
  /** JSON array of key_ops. */
  keyOps: text(),
  /** JSON of the public half (PublicKeyMaterial). */
  publicKey: text(),
  enabled: bool(), nbf: varchar().nullable(), exp: varchar().nullable(),
  /** JSON object of tags, or null when the version has none. */
  tags: text().nullable(),
  created: varchar(), updated: varchar(),
  /** The exp a NearExpiry notice was recorded for (null: none yet); see ExpiryNotices migration. */
  nearExpiryNotified: varchar().nullable(),
  /** The exp an Expired notice was recorded for (null: none yet). */
  expiredNotified: varchar().nullable(),
}, { primaryKey: ['vault', 'name', 'version'] });
export type KeyVersionRow = RowOf<typeof keyVersionsTable.columns>;

/** A key's rotation policy (at most one per key); the scheduler reads these. Removed on purge. */
export const keyRotationPoliciesTable = defineTable('key_rotation_policies', {
  vault: varchar(), name: varchar(),
  /** JSON array of lifetime actions ({trigger, action}). */
  lifetimeActions: text(),
  /** ISO 8601 duration new versions stay valid, or null. */
  expiryTime: varchar().nullable(),
  created: varchar(), updated: varchar(),
}, { primaryKey: ['vault', 'name'] });
export type KeyRotationPolicyRow = RowOf<typeof keyRotationPoliciesTable.columns>;
