import { mkdirSync } from 'node:fs';
import { PRIVATE_DIR_MODE, tightenPrivateFile } from '@coffer/config';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { parseDbUrl } from './db-url.parser';

/** The part of a better-sqlite3 handle prepareSqlite may use. */
export interface SqlitePragmas {
  pragma(sql: string, options?: { simple?: boolean }): unknown;
}

export interface DataSourceOpts {
  /** Log SQL (debugging only). */
  logging?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite busy timeout: how long a statement waits for another process's lock. */
  sqliteBusyTimeoutMs?: number;
  /** PostgreSQL application_name (shows in pg_stat_activity). */
  applicationName?: string;
  /** Runs on every new SQLite connection after Coffer's pragmas (tests: `max_page_count` for a portable full disk). */
  prepareSqlite?: (db: SqlitePragmas) => void;
  /** The migrations of the database's owner; none by default. */
  schema?: DbSchema;
}

/** What one owner (the read model, the audit app) keeps in a database: tables are table specs, so TypeORM needs only the migrations. */
export interface DbSchema {
  migrations: DataSourceOptions['migrations'];
  /** Its own migrations table, so owners sharing a PostgreSQL database never see each other's migrations. */
  migrationsTableName?: string;
}

/**
 * A DataSource (not yet initialized) for `sqlite:<path>` or `postgres://…[?schema=X]`.
 * SQLite runs in WAL mode so readers in other processes never block on the projector's writes;
 * the busy timeout covers the brief exclusive moments (checkpoints, recovery).
 */
export function createDataSource(dbUrl: string, opts: DataSourceOpts = {}): DataSource {
  const parsed = parseDbUrl(dbUrl);
  const common = {
    migrations: opts.schema?.migrations ?? [],
    ...(opts.schema?.migrationsTableName && { migrationsTableName: opts.schema.migrationsTableName }),
    migrationsTransactionMode: 'all' as const,
    synchronize: false,
    migrationsRun: false,
    logging: opts.logging ?? false,
  };
  let options: DataSourceOptions;
  if (parsed.kind === 'sqlite') {
    const inMemory = parsed.path === ':memory:';
    if (!inMemory) {
      mkdirSync(dirname(parsed.path), { recursive: true, mode: PRIVATE_DIR_MODE });
      // SQLite creates -wal and -shm with the database file's mode (not the umask): a database made
      // 0644 by an older version would keep making world-readable journals.
      for (const suffix of ['', '-wal', '-shm']) tightenPrivateFile(`${parsed.path}${suffix}`);
    }
    options = {
      ...common,
      type: 'better-sqlite3',
      database: parsed.path,
      enableWAL: !inMemory,
      timeout: opts.sqliteBusyTimeoutMs ?? 15_000,
      prepareDatabase: (db: SqlitePragmas) => {
        // WAL + NORMAL: a commit is durable against process crashes and costs no fsync.
        db.pragma('synchronous = NORMAL');
        opts.prepareSqlite?.(db);
      },
    };
  } else {
    options = {
      ...common,
      type: 'postgres',
      url: parsed.url,
      ...(parsed.schema ? { schema: parsed.schema } : {}),
      poolSize: opts.poolSize ?? 10,
      ...(opts.applicationName ? { applicationName: opts.applicationName } : {}),
    };
  }
  return new DataSource(options);
}

/** Applies pending migrations (all in one transaction); returns their names. */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'all' });
  return done.map((m) => m.name);
}

/** createDataSource + initialize + (unless `migrate: false`) runMigrations. */
export async function openDataSource(dbUrl: string, opts: DataSourceOpts & { migrate?: boolean } = {}): Promise<DataSource> {
  const ds = createDataSource(dbUrl, opts);
  await ds.initialize();
  try {
    if (opts.migrate !== false) await runMigrations(ds);
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
  return ds;
}
