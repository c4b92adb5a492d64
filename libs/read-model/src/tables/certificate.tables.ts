import { bigint, bool, defineTable, integer, RowOf, text, varchar } from '@coffer/sql';

/** One certificate object: head, policy and pending operation. Removed on purge (or when its only operation is cancelled). */
export const certificatesTable = defineTable('certificates', {
  vault: varchar(), name: varchar(), status: varchar<'active' | 'deleted'>(),
  /** Null while the first version is still a pending operation. */
  currentVersion: varchar().nullable(),
  /** Stream sequence of the last event on the certificate's subject. */
  sequence: bigint(),
  versionCount: integer(),
  /** JSON of the CertificatePolicy. */
  policy: text(),
  /** JSON of the PendingCertificateRecord, or null. */
  pending: text().nullable(),
  created: varchar(), updated: varchar(), deletedDate: varchar().nullable(), scheduledPurgeDate: varchar().nullable(), recoveryId: varchar().nullable(),
}, { primaryKey: ['vault', 'name'] });
export type CertificateRow = RowOf<typeof certificatesTable.columns>;

/** One certificate version (public data only); its key and secret versions share the version id. */
export const certificateVersionsTable = defineTable('certificate_versions', {
  vault: varchar(), name: varchar(), version: varchar(), ordinal: integer(),
  /** base64 DER */
  cer: text(),
  x5t: varchar(), serialNumber: varchar(), subject: text(), issuer: text(),
  /** JSON array of base64 DER issuer certificates. */
  chain: text(),
  enabled: bool(), nbf: varchar(), exp: varchar(), tags: text().nullable(), created: varchar(), updated: varchar(),
  /** The exp the EmailContacts notice (CertificateNearExpiry) was recorded for; null: none yet. */
  nearExpiryNotified: varchar().nullable(),
}, { primaryKey: ['vault', 'name', 'version'] });
export type CertificateVersionRow = RowOf<typeof certificateVersionsTable.columns>;

/** An internal CA of a vault: its IssuerRecord (HSM key id and public half, certificate, chain). */
export const certificateIssuersTable = defineTable('certificate_issuers', {
  vault: varchar(), name: varchar(),
  /** JSON of the IssuerRecord. */
  record: text(),
  sequence: bigint(),
  /** CRL number of the latest revocation (0: none). */
  crlNumber: integer(),
  created: varchar(), updated: varchar(),
}, { primaryKey: ['vault', 'name'] });
export type CertificateIssuerRow = RowOf<typeof certificateIssuersTable.columns>;

/** One serial number an internal CA has revoked (what its CRL lists). */
export const certificateRevocationsTable = defineTable('certificate_revocations', {
  vault: varchar(), issuer: varchar(), serialNumber: varchar(), revocationDate: varchar(), reason: varchar(),
}, { primaryKey: ['vault', 'issuer', 'serialNumber'] });
export type CertificateRevocationRow = RowOf<typeof certificateRevocationsTable.columns>;

/** A vault's certificate contacts (JSON array); removed when they are deleted. */
export const certificateContactsTable = defineTable('certificate_contacts', {
  vault: varchar(), contacts: text(), sequence: bigint(), updated: varchar(),
}, { primaryKey: ['vault'] });
export type CertificateContactsRow = RowOf<typeof certificateContactsTable.columns>;
