import { DataSource, EntityManager } from 'typeorm';

export type RawRow = Record<string, unknown>;

/** Runs one SQL statement with positional parameters; returns the rows it reads (none for writes). */
export type SqlRunner = (statement: string, params: unknown[]) => Promise<RawRow[]>;

interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): RawRow[];
  run(...params: unknown[]): unknown;
}
interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
}

const prepared = new WeakMap<SqliteHandle, Map<string, SqliteStatement>>();

/**
 * A runner bound to a manager (inside a transaction) or a data source. On SQLite, statements are
 * prepared once per connection and reused (TypeORM prepares on every call, which dominated both the
 * projector's and the vault's profiles); better-sqlite3 has one connection, so a transaction begun
 * through TypeORM covers these statements too. PostgreSQL goes through TypeORM unchanged.
 */
export function sqlRunner(target: EntityManager | DataSource): SqlRunner {
  const ds = target instanceof DataSource ? target : target.connection;
  if (ds.options.type !== 'better-sqlite3') return async (statement, params) => (await target.query(statement, params)) as RawRow[];
  const db = (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  const statements = cache;
  return async (statement, params) => {
    let stmt = statements.get(statement);
    if (!stmt) statements.set(statement, (stmt = db.prepare(statement)));
    if (stmt.reader) return stmt.all(...params);
    stmt.run(...params);
    return [];
  };
}
