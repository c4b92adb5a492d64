import { DataSource } from 'typeorm';
import { appliedRequestsTable, AppliedRequest } from './tables/projection.tables';
import { KeyRotationPolicyRow, keyRotationPoliciesTable, KeyRow, keysTable, KeyStatus, KeyVersionRow, keyVersionsTable } from './tables/key.tables';
import {
  PrincipalCredentialRow, principalCredentialsTable, PrincipalRow, principalsTable, RoleAssignmentRow, roleAssignmentsTable,
} from './tables/principal.tables';
import { SecretRow, secretsTable, SecretStatus, SecretVersionRow, secretVersionsTable } from './tables/secret.tables';
import { VaultRow, vaultsTable } from './tables/vault.tables';
import { Page, toPage } from './page';
import { READ_MODEL_PROJECTION, readCheckpoint } from './projection-checkpoint.store';
import { Sql, sqlFor } from './sql-statements';
import { RawRow, SqlRunner, sqlRunner } from '@coffer/sql';

type Raw = RawRow;

/** Optional filters of a role-assignment list (exact match). */
export interface RoleAssignmentFilter {
  principalId?: string;
  scope?: string;
}

/**
 * Read-side queries for the vault service; they return plain row objects. Lookups go by primary
 * key; lists are keyset-paged: pass the last name / ordinal of the previous page as `after`, and
 * `hasMore` says whether another page follows (limit + 1 rows are fetched to know).
 */
export class ReadModel {
  private readonly sql: Sql;
  private readonly rows: SqlRunner;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlFor(ds);
    this.rows = sqlRunner(ds);
  }

  private async one<T>(statement: string, params: unknown[], map: (r: Raw) => T): Promise<T | null> {
    const [row] = await this.rows(statement, params);
    return row ? map(row) : null;
  }

  getVault(name: string): Promise<VaultRow | null> {
    return this.one(this.sql.s.getVault, [name], vaultsTable.row);
  }

  async listVaults(afterName: string | undefined, limit: number): Promise<Page<VaultRow>> {
    const { s } = this.sql;
    const rows = afterName === undefined ? await this.rows(s.listVaults, [limit + 1]) : await this.rows(s.listVaultsAfter, [afterName, limit + 1]);
    return toPage(rows.map(vaultsTable.row), limit);
  }

  /** The secret object in any status (active or deleted); null when it never existed or was purged. */
  getSecret(vault: string, name: string): Promise<SecretRow | null> {
    return this.one(this.sql.s.getSecret, [vault, name], secretsTable.row);
  }

  getSecretVersion(vault: string, name: string, version: string): Promise<SecretVersionRow | null> {
    return this.one(this.sql.s.getVersion, [vault, name, version], secretVersionsTable.row);
  }

  async listSecrets(vault: string, status: SecretStatus, afterName: string | undefined, limit: number): Promise<Page<SecretRow>> {
    const { s } = this.sql;
    const rows = afterName === undefined
      ? await this.rows(s.listSecrets, [vault, status, limit + 1])
      : await this.rows(s.listSecretsAfter, [vault, status, afterName, limit + 1]);
    return toPage(rows.map(secretsTable.row), limit);
  }

  async listVersions(vault: string, name: string, afterOrdinal: number | undefined, limit: number): Promise<Page<SecretVersionRow>> {
    const { s } = this.sql;
    const rows = afterOrdinal === undefined
      ? await this.rows(s.listVersions, [vault, name, limit + 1])
      : await this.rows(s.listVersionsAfter, [vault, name, afterOrdinal, limit + 1]);
    return toPage(rows.map(secretVersionsTable.row), limit);
  }

  /** Keyring sequences of every data key the object's versions use (what a purge must shred), ascending. */
  async secretDeks(vault: string, name: string): Promise<number[]> {
    return (await this.rows(this.sql.s.secretDeks, [vault, name])).map((r) => Number(r.dek));
  }

  /** The key object in any status (active or deleted); null when it never existed or was purged. */
  getKey(vault: string, name: string): Promise<KeyRow | null> {
    return this.one(this.sql.s.getKey, [vault, name], keysTable.row);
  }

  getKeyVersion(vault: string, name: string, version: string): Promise<KeyVersionRow | null> {
    return this.one(this.sql.s.getKeyVersion, [vault, name, version], keyVersionsTable.row);
  }

  async listKeys(vault: string, status: KeyStatus, afterName: string | undefined, limit: number): Promise<Page<KeyRow>> {
    const { s } = this.sql;
    const rows = afterName === undefined
      ? await this.rows(s.listKeys, [vault, status, limit + 1])
      : await this.rows(s.listKeysAfter, [vault, status, afterName, limit + 1]);
    return toPage(rows.map(keysTable.row), limit);
  }

  async listKeyVersions(vault: string, name: string, afterOrdinal: number | undefined, limit: number): Promise<Page<KeyVersionRow>> {
    const { s } = this.sql;
    const rows = afterOrdinal === undefined
      ? await this.rows(s.listKeyVersions, [vault, name, limit + 1])
      : await this.rows(s.listKeyVersionsAfter, [vault, name, afterOrdinal, limit + 1]);
    return toPage(rows.map(keyVersionsTable.row), limit);
  }

  /** HSM key ids of every version, oldest first (what a purge destroys). */
  async keyHsmKeyIds(vault: string, name: string): Promise<string[]> {
    return (await this.rows(this.sql.s.keyHsmKeyIds, [vault, name])).map((r) => String(r.hsmKeyId));
  }

  getKeyRotationPolicy(vault: string, name: string): Promise<KeyRotationPolicyRow | null> {
    return this.one(this.sql.s.getKeyPolicy, [vault, name], keyRotationPoliciesTable.row);
  }

  getPrincipal(id: string): Promise<PrincipalRow | null> {
    return this.one(this.sql.s.getPrincipal, [id], principalsTable.row);
  }

  getPrincipalByName(name: string): Promise<PrincipalRow | null> {
    return this.one(this.sql.s.getPrincipalByName, [name], principalsTable.row);
  }

  async countPrincipals(): Promise<number> {
    const [row] = await this.rows(this.sql.s.countPrincipals, []);
    return Number(row?.n ?? 0);
  }

  /** Principals by name, keyset-paged after `afterName`. */
  async listPrincipals(afterName: string | undefined, limit: number): Promise<Page<PrincipalRow>> {
    const { s } = this.sql;
    const rows = afterName === undefined
      ? await this.rows(s.listPrincipals, [limit + 1])
      : await this.rows(s.listPrincipalsAfter, [afterName, limit + 1]);
    return toPage(rows.map(principalsTable.row), limit);
  }

  async credentialsOf(principalId: string): Promise<PrincipalCredentialRow[]> {
    return (await this.rows(this.sql.s.credentialsOf, [principalId])).map(principalCredentialsTable.row);
  }

  getRoleAssignment(id: string): Promise<RoleAssignmentRow | null> {
    return this.one(this.sql.s.getAssignment, [id], roleAssignmentsTable.row);
  }

  /** Role assignments by id, optionally filtered by principal and/or exact scope, keyset-paged after `afterId`. */
  async listRoleAssignments(filter: RoleAssignmentFilter, afterId: string | undefined, limit: number): Promise<Page<RoleAssignmentRow>> {
    const { s } = this.sql;
    const p = filter.principalId ?? null;
    const sc = filter.scope ?? null;
    const rows = afterId === undefined
      ? await this.rows(s.listAssignments, [p, p, sc, sc, limit + 1])
      : await this.rows(s.listAssignmentsAfter, [p, p, sc, sc, afterId, limit + 1]);
    return toPage(rows.map(roleAssignmentsTable.row), limit);
  }

  async assignmentsOf(principalId: string): Promise<RoleAssignmentRow[]> {
    return (await this.rows(this.sql.s.assignmentsOf, [principalId])).map(roleAssignmentsTable.row);
  }

  /** Last stream sequence the read model reflects (0 before the first event). */
  checkpoint(): Promise<number> {
    return readCheckpoint(this.ds.manager, READ_MODEL_PROJECTION);
  }

  /** What this principal's request id has done so far: one row per object it changed (empty: nothing yet, or past the horizon). */
  /** The last event on an event-log subject, applied or voided (0 when the read model knows none). */
  async subjectHead(subject: string): Promise<number> {
    const [row] = await this.rows(this.sql.s.headRead, [subject]);
    return row ? Number(row.sequence) : 0;
  }

  /** Whether the event at `sequence` was voided (its check-and-set expectation did not hold); ask once it is projected. */
  async isVoided(sequence: number): Promise<boolean> {
    return (await this.rows(this.sql.s.getVoided, [sequence])).length > 0;
  }

  /** The voided events' sequences in [from, to], ascending. */
  async voidedBetween(from: number, to: number): Promise<Set<number>> {
    return new Set((await this.rows(this.sql.s.voidedBetween, [from, to])).map((r) => Number(r.sequence)));
  }

  async findAppliedRequests(principalId: string, requestId: string): Promise<AppliedRequest[]> {
    return (await this.rows(this.sql.s.findApplied, [principalId, requestId])).map(appliedRequestsTable.row);
  }
}
