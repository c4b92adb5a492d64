import { SqlDialect, statementSet } from '@coffer/sql';
import {
  certificateContactsTable, certificateIssuersTable, certificateRevocationsTable, certificatesTable, certificateVersionsTable,
} from './tables/certificate.tables';
import { keysTable } from './tables/key.tables';
import { secretsTable } from './tables/secret.tables';

/**
 * SQL of certificates, issuers and contacts, apart from sql-statements.ts (same conventions: `?`
 * placeholders numbered for PostgreSQL, schema-qualified tables there).
 */
function build(d: SqlDialect) {
  const [certs, versions, issuers, revocations, contacts, keys, secrets] = [
    certificatesTable, certificateVersionsTable, certificateIssuersTable, certificateRevocationsTable, certificateContactsTable, keysTable, secretsTable,
  ].map((table) => d.table(table.name));
  const byName = `"vault" = ? AND "name" = ?`;
  return {
    certUpsert: certificatesTable.upsert(d),
    certGet: `SELECT * FROM ${certs} WHERE ${byName}`,
    certSetCurrent: `UPDATE ${certs} SET "currentVersion" = ?, "sequence" = ?, "versionCount" = ?, "policy" = ?, "pending" = NULL, "updated" = ? WHERE ${byName}`,
    certSetPending: `UPDATE ${certs} SET "pending" = ?, "policy" = ?, "sequence" = ? WHERE ${byName}`,
    certSetPolicy: `UPDATE ${certs} SET "policy" = ?, "sequence" = ? WHERE ${byName}`,
    certTouch: `UPDATE ${certs} SET "sequence" = ?, "updated" = ? WHERE ${byName}`,
    certTouchSequence: `UPDATE ${certs} SET "sequence" = ? WHERE ${byName}`,
    certDelete: `UPDATE ${certs} SET "status" = 'deleted', "deletedDate" = ?, "scheduledPurgeDate" = ?, "recoveryId" = ?, "sequence" = ? WHERE ${byName}`,
    certRecover: `UPDATE ${certs} SET "status" = 'active', "deletedDate" = NULL, "scheduledPurgeDate" = NULL, "recoveryId" = NULL, "sequence" = ? WHERE ${byName}`,
    certPurge: `DELETE FROM ${certs} WHERE ${byName}`,
    certList: `SELECT * FROM ${certs} WHERE "vault" = ? AND "status" = ? AND "currentVersion" IS NOT NULL ORDER BY "name" LIMIT ?`,
    certListAfter: `SELECT * FROM ${certs} WHERE "vault" = ? AND "status" = ? AND "currentVersion" IS NOT NULL AND "name" > ? ORDER BY "name" LIMIT ?`,
    versionUpsert: certificateVersionsTable.upsert(d, certificateVersionsTable.except('nearExpiryNotified')),
    versionGet: `SELECT * FROM ${versions} WHERE ${byName} AND "version" = ?`,
    versionAttributes: `UPDATE ${versions} SET "enabled" = ?, "tags" = ?, "updated" = ? WHERE ${byName} AND "version" = ?`,
    versionNearExpiryNotified: `UPDATE ${versions} SET "nearExpiryNotified" = ? WHERE ${byName} AND "version" = ?`,
    versionsList: `SELECT * FROM ${versions} WHERE ${byName} ORDER BY "ordinal" LIMIT ?`,
    versionsListAfter: `SELECT * FROM ${versions} WHERE ${byName} AND "ordinal" > ? ORDER BY "ordinal" LIMIT ?`,
    versionsPurge: `DELETE FROM ${versions} WHERE ${byName}`,
    // The key and secret of a certificate follow it: marked managed, deleted/recovered/purged with it.
    keyManaged: `UPDATE ${keys} SET "managedBy" = 'certificate' WHERE ${byName}`,
    secretManaged: `UPDATE ${secrets} SET "managedBy" = 'certificate' WHERE ${byName}`,
    keyStatus: `UPDATE ${keys} SET "status" = ?, "deletedDate" = ?, "scheduledPurgeDate" = ?, "recoveryId" = ? WHERE ${byName}`,
    secretStatus: `UPDATE ${secrets} SET "status" = ?, "deletedDate" = ?, "scheduledPurgeDate" = ?, "recoveryId" = ? WHERE ${byName}`,
    issuerUpsert: certificateIssuersTable.upsert(d),
    issuerGet: `SELECT * FROM ${issuers} WHERE ${byName}`,
    issuerRevoked: `UPDATE ${issuers} SET "crlNumber" = ?, "sequence" = ?, "updated" = ? WHERE ${byName}`,
    issuerList: `SELECT * FROM ${issuers} WHERE "vault" = ? ORDER BY "name" LIMIT ?`,
    issuerListAfter: `SELECT * FROM ${issuers} WHERE "vault" = ? AND "name" > ? ORDER BY "name" LIMIT ?`,
    revocationInsert: certificateRevocationsTable.upsert(d),
    revocationsOf: `SELECT * FROM ${revocations} WHERE "vault" = ? AND "issuer" = ? ORDER BY "revocationDate", "serialNumber"`,
    revokedCount: `SELECT COUNT(*) AS "n" FROM ${revocations} WHERE "vault" = ? AND "issuer" = ?`,
    revokedSerial: `SELECT "serialNumber" FROM ${revocations} WHERE "vault" = ? AND "issuer" = ? AND "serialNumber" = ?`,
    contactsUpsert: certificateContactsTable.upsert(d),
    contactsGet: `SELECT * FROM ${contacts} WHERE "vault" = ?`,
    contactsDelete: `DELETE FROM ${contacts} WHERE "vault" = ?`,
  };
}

export type CertificateSql = ReturnType<typeof build>;

/** The certificate statements for a DataSource, built once. */
export const certificateSqlFor = statementSet(build);
