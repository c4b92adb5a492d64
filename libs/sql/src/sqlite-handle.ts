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

const prepared = new WeakMap<SqliteHandle, Map<string, SqliteStatement>>();

/** The statement prepared once per connection (TypeORM prepares on every call, which dominated profiles). */
export function preparedStatement(db: SqliteHandle, sql: string): SqliteStatement {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  let stmt = statements.get(sql);
  if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
