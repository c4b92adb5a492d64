import { marks, quoted as q, SqlDialect, statementSet } from '@coffer/sql';

/**
 * SQL of certificates, issuers and contacts, apart from sql-statements.ts (same conventions: `?`
 * placeholders numbered for PostgreSQL, schema-qualified tables there).
 */
const cols = (names: string[]) => names.map(q).join(', ');
function upsert(table: string, names: string[], key: string[]): string {
  const rest = names.filter((c) => !key.includes(c));
  return `INSERT INTO ${table} (${cols(names)}) VALUES (${marks(names.length)}) ON CONFLICT (${cols(key)}) DO UPDATE SET ${rest.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}

export const CERTIFICATE_COLS = [
  'vault', 'name', 'status', 'currentVersion', 'sequence', 'versionCount', 'policy', 'pending', 'created', 'updated', 'deletedDate', 'scheduledPurgeDate', 'recoveryId',
];
export const CERTIFICATE_VERSION_COLS = [
  'vault', 'name', 'version', 'ordinal', 'cer', 'x5t', 'serialNumber', 'subject', 'issuer', 'chain', 'enabled', 'nbf', 'exp', 'tags', 'created', 'updated',
];
const ISSUER_COLS = ['vault', 'name', 'record', 'sequence', 'crlNumber', 'created', 'updated'];
const REVOCATION_COLS = ['vault', 'issuer', 'serialNumber', 'revocationDate', 'reason'];
const CONTACTS_COLS = ['vault', 'contacts', 'sequence', 'updated'];

function build({ table: t }: SqlDialect) {
  const [certs, versions, issuers, revocations, contacts, keys, secrets] =
    ['certificates', 'certificate_versions', 'certificate_issuers', 'certificate_revocations', 'certificate_contacts', 'keys', 'secrets'].map(t) as string[];
  const byName = `"vault" = ? AND "name" = ?`;
  return {
    certUpsert: upsert(certs, CERTIFICATE_COLS, ['vault', 'name']),
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
    versionUpsert: upsert(versions, CERTIFICATE_VERSION_COLS, ['vault', 'name', 'version']),
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
    issuerUpsert: upsert(issuers, ISSUER_COLS, ['vault', 'name']),
    issuerGet: `SELECT * FROM ${issuers} WHERE ${byName}`,
    issuerRevoked: `UPDATE ${issuers} SET "crlNumber" = ?, "sequence" = ?, "updated" = ? WHERE ${byName}`,
    issuerList: `SELECT * FROM ${issuers} WHERE "vault" = ? ORDER BY "name" LIMIT ?`,
    issuerListAfter: `SELECT * FROM ${issuers} WHERE "vault" = ? AND "name" > ? ORDER BY "name" LIMIT ?`,
    revocationInsert: upsert(revocations, REVOCATION_COLS, ['vault', 'issuer', 'serialNumber']),
    revocationsOf: `SELECT * FROM ${revocations} WHERE "vault" = ? AND "issuer" = ? ORDER BY "revocationDate", "serialNumber"`,
    revokedCount: `SELECT COUNT(*) AS "n" FROM ${revocations} WHERE "vault" = ? AND "issuer" = ?`,
    revokedSerial: `SELECT "serialNumber" FROM ${revocations} WHERE "vault" = ? AND "issuer" = ? AND "serialNumber" = ?`,
    contactsUpsert: upsert(contacts, CONTACTS_COLS, ['vault']),
    contactsGet: `SELECT * FROM ${contacts} WHERE "vault" = ?`,
    contactsDelete: `DELETE FROM ${contacts} WHERE "vault" = ?`,
  };
}

export type CertificateSql = ReturnType<typeof build>;

/** The certificate statements for a DataSource, built once. */
export const certificateSqlFor = statementSet(build);
