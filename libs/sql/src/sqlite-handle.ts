import { DataSource } from 'typeorm';

/** The parts of a better-sqlite3 statement Coffer uses. */
export interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): Record<string, unknown>[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}

/** The parts of the better-sqlite3 connection under TypeORM's driver that Coffer uses. */
export interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

/** The raw better-sqlite3 connection (TypeORM's driver has one), or undefined on PostgreSQL. */
export function sqliteHandle(ds: DataSource): SqliteHandle | undefined {
  if (ds.options.type !== 'better-sqlite3') return undefined;
  return (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
}

const caches = new WeakMap<SqliteHandle, (sql: string) => SqliteStatement>();

/**
 * The connection's statement cache: each statement is prepared once per connection (TypeORM prepares
 * on every call, which dominated profiles). Look it up once and keep it; calls are then one Map get.
 */
export function preparedStatements(db: SqliteHandle): (sql: string) => SqliteStatement {
  let cache = caches.get(db);
  if (!cache) {
    const statements = new Map<string, SqliteStatement>();
    cache = (sql) => {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt;
    };
    caches.set(db, cache);
  }
  return cache;
}
