import { DataSource } from 'typeorm';
import { PurgeableObjects } from './kinds/read-model-kind';
import { lifecycleSqlFor, LifecycleSql, purgeableSql } from './lifecycle.sql';
import { RawRow, SqlRunner, sqlRunner } from '@coffer/sql';

/** Where a keyset-paged scan resumes: after this (vault, name). */
export interface ScanCursor {
  vault: string;
  name: string;
}
export const SCAN_START: ScanCursor = { vault: '', name: '' };

/** The current version of an active secret, as the scheduler needs it. */
export interface ExpiringSecretRow {
  vault: string;
  name: string;
  version: string;
  created: string;
  nbf: string | null;
  exp: string | null;
  nearExpiryNotified: string | null;
  expiredNotified: string | null;
  tags: Record<string, string> | null;
  contentType: string | null;
  sequence: number;
}

/** The current version of an active key with a rotation policy or an exp. */
export interface LifecycleKeyRow {
  vault: string;
  name: string;
  version: string;
  created: string;
  nbf: string | null;
  exp: string | null;
  nearExpiryNotified: string | null;
  expiredNotified: string | null;
  sequence: number;
  /** JSON of the policy's lifetime actions, or null without a policy. */
  lifetimeActions: string | null;
}

/** The current version of an active certificate (no pending operation) whose policy has lifetime actions. */
export interface LifecycleCertificateRow {
  vault: string;
  name: string;
  version: string;
  created: string;
  nbf: string;
  exp: string;
  nearExpiryNotified: string | null;
  sequence: number;
  /** JSON of the certificate's policy. */
  policy: string;
}

export interface PurgeableRow {
  vault: string;
  name: string;
  scheduledPurgeDate: string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Read-side queries of the lifecycle scheduler: pages of candidates, keyset-paged on (vault, name)
 * so a scan of any size runs in constant memory and each page is an index range.
 */
export class LifecycleQueries {
  private readonly sql: LifecycleSql;
  private readonly rows: SqlRunner;
  private readonly purgeableSql = new Map<string, string>();

  constructor(private readonly ds: DataSource) {
    this.sql = lifecycleSqlFor(ds);
    this.rows = sqlRunner(ds);
  }

  /** Active secrets whose current version expires before `expBefore` and lacks a notice, or names a rotation hook. */
  async secretsExpiring(expBefore: string, after: ScanCursor, limit: number): Promise<ExpiringSecretRow[]> {
    const rows = await this.rows(this.sql.secretsExpiring, [after.vault, after.name, expBefore, limit]);
    return rows.map((r) => ({
      ...versionFields(r),
      tags: r.tags === null || r.tags === undefined ? null : (JSON.parse(String(r.tags)) as Record<string, string>),
      contentType: str(r.contentType),
    }));
  }

  async keysWithLifecycle(after: ScanCursor, limit: number): Promise<LifecycleKeyRow[]> {
    const rows = await this.rows(this.sql.keysWithLifecycle, [after.vault, after.name, limit]);
    return rows.map((r) => ({ ...versionFields(r), lifetimeActions: str(r.lifetimeActions) }));
  }

  async certificatesWithLifetimeActions(after: ScanCursor, limit: number): Promise<LifecycleCertificateRow[]> {
    const rows = await this.rows(this.sql.certificatesWithLifetimeActions, [after.vault, after.name, limit]);
    return rows.map((r) => ({
      vault: String(r.vault), name: String(r.name), version: String(r.version), created: String(r.created), nbf: String(r.nbf), exp: String(r.exp),
      nearExpiryNotified: str(r.nearExpiryNotified), sequence: Number(r.sequence), policy: String(r.policy),
    }));
  }

  /** The soft-deleted objects of a kind whose purge date has passed (the kind's PurgeableObjects). */
  async purgeable(objects: PurgeableObjects, now: string, after: ScanCursor, limit: number): Promise<PurgeableRow[]> {
    let sql = this.purgeableSql.get(objects.heads.name);
    if (!sql) this.purgeableSql.set(objects.heads.name, (sql = purgeableSql(this.ds, objects.heads, objects.skipManaged)));
    return (await this.rows(sql, [now, after.vault, after.name, limit])).map(purgeable);
  }
}

function versionFields(r: RawRow) {
  return {
    vault: String(r.vault), name: String(r.name), version: String(r.version), created: String(r.created),
    nbf: str(r.nbf), exp: str(r.exp), nearExpiryNotified: str(r.nearExpiryNotified), expiredNotified: str(r.expiredNotified),
    sequence: Number(r.sequence),
  };
}

const purgeable = (r: RawRow): PurgeableRow => ({ vault: String(r.vault), name: String(r.name), scheduledPurgeDate: String(r.scheduledPurgeDate) });
