import { DataSource, EntityManager } from 'typeorm';
import { preparedStatements, sqliteHandle } from './sqlite-handle';

export type RawRow = Record<string, unknown>;

/** Runs one SQL statement with positional parameters; returns the rows it reads (none for writes). */
export type SqlRunner = (statement: string, params: unknown[]) => Promise<RawRow[]>;

/**
 * A runner bound to a manager (inside a transaction) or a data source. On SQLite, statements are
 * prepared once per connection and reused (TypeORM prepares on every call, which dominated both the
 * projector's and the vault's profiles); better-sqlite3 has one connection, so a transaction begun
 * through TypeORM covers these statements too. PostgreSQL goes through TypeORM unchanged.
 */
export function sqlRunner(target: EntityManager | DataSource): SqlRunner {
  const ds = target instanceof DataSource ? target : target.connection;
  const db = sqliteHandle(ds);
  if (!db) return async (statement, params) => (await target.query(statement, params)) as RawRow[];
  const prepared = preparedStatements(db);
  return async (statement, params) => {
    const stmt = prepared(statement);
    if (stmt.reader) return stmt.all(...params);
    stmt.run(...params);
    return [];
  };
}
