import { AnyTableSpec, dialectOf, numbered, SqlDialect, statementSet } from '@coffer/sql';
import { DataSource } from 'typeorm';
import { certificatesTable, certificateVersionsTable } from './tables/certificate.tables';
import { keyRotationPoliciesTable, keysTable, keyVersionsTable } from './tables/key.tables';
import { secretsTable, secretVersionsTable } from './tables/secret.tables';
import { vaultsTable } from './tables/vault.tables';

/**
 * SQL of the lifecycle work (expiry notices in the projection, the scheduler's scans), apart from
 * sql-statements.ts so the two evolve independently. Same conventions: `?` placeholders numbered
 * for PostgreSQL, schema-qualified tables there.
 */
function build({ table: t }: SqlDialect) {
  const [secrets, versions, keys, keyVersions, keyPolicies, vaults, certs, certVersions] = [
    secretsTable, secretVersionsTable, keysTable, keyVersionsTable, keyRotationPoliciesTable, vaultsTable, certificatesTable, certificateVersionsTable,
  ].map((table) => t(table.name));
  const byVersion = `"vault" = ? AND "name" = ? AND "version" = ?`;
  return {
    secretNearExpiryNotified: `UPDATE ${versions} SET "nearExpiryNotified" = ? WHERE ${byVersion}`,
    secretExpiredNotified: `UPDATE ${versions} SET "expiredNotified" = ? WHERE ${byVersion}`,
    keyNearExpiryNotified: `UPDATE ${keyVersions} SET "nearExpiryNotified" = ? WHERE ${byVersion}`,
    keyExpiredNotified: `UPDATE ${keyVersions} SET "expiredNotified" = ? WHERE ${byVersion}`,
    // A notice changes neither attributes nor `updated`: only the head's sequence (the next append's expectation).
    secretTouchSequence: `UPDATE ${secrets} SET "sequence" = ? WHERE "vault" = ? AND "name" = ?`,
    keyTouchSequence: `UPDATE ${keys} SET "sequence" = ? WHERE "vault" = ? AND "name" = ?`,

    // Scans: keyset-paged on (vault, name) with a row-value comparison, which both databases answer from the
    // primary key (the OR form scanned from the first row on SQLite: a scan of a million was quadratic);
    // the current version only (Event Grid's …NearExpiry is about it).
    // Pre-filtered in SQL (exp before a bound, a notice missing for the current exp); exact due times in code.
    secretsExpiring: `SELECT s."vault", s."name", v."version", v."created", v."nbf", v."exp", v."nearExpiryNotified", v."expiredNotified", v."tags", v."contentType", s."sequence"
      FROM ${secrets} s JOIN ${versions} v ON v."vault" = s."vault" AND v."name" = s."name" AND v."version" = s."currentVersion"
      WHERE s."status" = 'active' AND (s."vault", s."name") > (?, ?)
        AND ((v."exp" IS NOT NULL AND v."exp" <= ? AND (v."nearExpiryNotified" IS NULL OR v."nearExpiryNotified" <> v."exp" OR v."expiredNotified" IS NULL OR v."expiredNotified" <> v."exp"))
          OR v."tags" LIKE '%coffer-rotation-hook%')
      ORDER BY s."vault", s."name" LIMIT ?`,
    keysWithLifecycle: `SELECT k."vault", k."name", v."version", v."created", v."nbf", v."exp", v."nearExpiryNotified", v."expiredNotified", k."sequence",
        p."lifetimeActions"
      FROM ${keys} k JOIN ${keyVersions} v ON v."vault" = k."vault" AND v."name" = k."name" AND v."version" = k."currentVersion"
        LEFT JOIN ${keyPolicies} p ON p."vault" = k."vault" AND p."name" = k."name"
      WHERE k."status" = 'active' AND (k."vault", k."name") > (?, ?) AND (p."name" IS NOT NULL OR v."exp" IS NOT NULL)
      ORDER BY k."vault", k."name" LIMIT ?`,
    // The current version of active certificates with no operation in flight whose policy has lifetime actions
    // (the policy JSON is pre-filtered on an action type; the issuer and the due times are checked in code).
    certificatesWithLifetimeActions: `SELECT c."vault", c."name", v."version", v."created", v."nbf", v."exp", v."nearExpiryNotified", c."sequence", c."policy"
      FROM ${certs} c JOIN ${certVersions} v ON v."vault" = c."vault" AND v."name" = c."name" AND v."version" = c."currentVersion"
      WHERE c."status" = 'active' AND c."pending" IS NULL AND (c."vault", c."name") > (?, ?) AND c."policy" LIKE '%"action_type"%'
      ORDER BY c."vault", c."name" LIMIT ?`,
    vaultNames: `SELECT "name" FROM ${vaults} ORDER BY "name"`,
  };
}

export type LifecycleSql = ReturnType<typeof build>;

export const lifecycleSqlFor = statementSet(build);

/**
 * A kind's soft-deleted objects whose purge date has passed, keyset-paged on (vault, name) (see PurgeableObjects):
 * `skipManaged` leaves a certificate's key and secret to their certificate.
 */
export function purgeableSql(ds: DataSource, heads: AnyTableSpec, skipManaged: boolean): string {
  const d = dialectOf(ds);
  const sql = `SELECT "vault", "name", "scheduledPurgeDate" FROM ${d.table(heads.name)}
      WHERE "status" = 'deleted'${skipManaged ? ' AND "managedBy" IS NULL' : ''} AND "scheduledPurgeDate" <= ? AND ("vault", "name") > (?, ?) ORDER BY "vault", "name" LIMIT ?`;
  return d.postgres ? numbered(sql) : sql;
}
