import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDbUrl } from '@coffer/read-model';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AUDIT_ENTITIES } from './audit-entities';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE } from './audit-migrations';

/**
 * The audit app's own DataSource on the configured database (`sqlite:` or `postgres://`): its own
 * entities, migrations and migrations table, so it shares a database with the read model safely.
 */
export async function openAuditDataSource(dbUrl: string, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const parsed = parseDbUrl(dbUrl);
  const common = {
    entities: AUDIT_ENTITIES,
    migrations: AUDIT_MIGRATIONS,
    migrationsTableName: AUDIT_MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all' as const,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  let options: DataSourceOptions;
  if (parsed.kind === 'sqlite') {
    const inMemory = parsed.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(parsed.path), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: parsed.path,
      enableWAL: !inMemory,
      timeout: 15_000,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('synchronous = NORMAL');
      },
    };
  } else {
    options = { ...common, type: 'postgres', url: parsed.url, ...(parsed.schema ? { schema: parsed.schema } : {}), poolSize: 4 };
  }
  const ds = new DataSource(options);
  await ds.initialize();
  try {
    if (opts.migrate !== false) await ds.runMigrations({ transaction: 'all' });
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
  return ds;
}
