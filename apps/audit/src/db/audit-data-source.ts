import { openDataSource } from '@coffer/sql';
import { DataSource } from 'typeorm';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE } from './audit-migrations';

/**
 * The audit app's own DataSource (`sqlite:` or `postgres://`), made like the read model's: its own
 * migrations and migrations table, so it can share a PostgreSQL database safely.
 */
export function openAuditDataSource(dbUrl: string, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  return openDataSource(dbUrl, {
    ...opts,
    poolSize: 4,
    schema: { migrations: AUDIT_MIGRATIONS, migrationsTableName: AUDIT_MIGRATIONS_TABLE },
  });
}
