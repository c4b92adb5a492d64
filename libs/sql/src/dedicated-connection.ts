import { DataSource, EntityManager } from 'typeorm';
import { DataSourceOpts, openDataSource } from './data-source.factory';
import { parseDbUrl } from './db-url.parser';

/** Runs `work` in one transaction; resolves only once the database has committed it. */
export interface Transactor {
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/** The transaction did not end as committed (the database rolled it back, or left it open). */
export class TransactionNotCommittedError extends Error {
  readonly code = 'TransactionNotCommitted';
  constructor(message: string) {
    super(message);
    this.name = 'TransactionNotCommittedError';
  }
}

/** One open connection and the driver-level transaction statements on it. */
interface Session {
  manager: EntityManager;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

interface RawSqlite {
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

interface RawPg {
  query(sql: string): Promise<{ command?: string }>;
}

/**
 * One writer's own database connection, with transactions it begins and commits on the driver
 * itself. Never TypeORM's `transaction()`: on better-sqlite3 TypeORM shares one connection between
 * all its callers, and after SQLite rolled a transaction back by itself (SQLITE_FULL, an I/O error)
 * TypeORM's ROLLBACK fails silently, it keeps counting a transaction as open, and every later one
 * becomes a savepoint inside it that is never committed, while reporting success.
 *
 * `transaction()` resolves only after a COMMIT the driver confirms (SQLite: no transaction left
 * open; PostgreSQL: the server answered COMMIT, not ROLLBACK). After any failure the connection is
 * closed, which ends whatever was open, and the next call opens a new one: a failed transaction
 * never leaves a half-open one behind, and a dropped or killed connection is replaced. Calls must
 * not overlap (one writer); an overlapping call is refused.
 */
export class DedicatedConnection implements Transactor {
  private session?: Promise<Session>;
  private busy = false;

  constructor(private readonly dbUrl: string, private readonly opts: DataSourceOpts & { migrate?: boolean } = {}) {}

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(async (s) => {
      await s.begin();
      const result = await work(s.manager);
      await s.commit();
      return result;
    });
  }

  /** Work outside a transaction (reads), on the same connection. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive((s) => work(s.manager));
  }

  /** Opens the connection now (it is otherwise opened by the first call), so a bad URL fails early. */
  async connect(): Promise<void> {
    await this.read(async () => undefined);
  }

  async close(): Promise<void> {
    const open = this.session;
    this.session = undefined;
    await open?.then((s) => s.close(), () => undefined);
  }

  private async exclusive<T>(work: (s: Session) => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('DedicatedConnection: calls must not overlap');
    this.busy = true;
    try {
      this.session ??= this.openSession();
      return await work(await this.session);
    } catch (err) {
      await this.close();
      throw err;
    } finally {
      this.busy = false;
    }
  }

  private async openSession(): Promise<Session> {
    const kind = parseDbUrl(this.dbUrl).kind;
    const ds = await openDataSource(this.dbUrl, { ...this.opts, ...(kind === 'postgres' && { poolSize: 1 }) });
    try {
      return kind === 'sqlite' ? sqliteSession(ds) : await postgresSession(ds);
    } catch (err) {
      await ds.destroy().catch(() => undefined);
      throw err;
    }
  }
}

function sqliteSession(ds: DataSource): Session {
  const db = (ds.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection;
  return {
    // Statements run on the raw handle (sqlRunner) or through TypeORM's runner, which is the same handle.
    manager: ds.manager,
    async begin() {
      if (db.inTransaction) throw new TransactionNotCommittedError('a transaction is still open on the connection');
      // IMMEDIATE: the write lock is taken now (waiting up to the busy timeout), not at the first write.
      db.exec('BEGIN IMMEDIATE');
    },
    async commit() {
      // SQLite may have rolled back already (SQLITE_FULL…): COMMIT then fails, which is what we want.
      db.exec('COMMIT');
      if (db.inTransaction) throw new TransactionNotCommittedError('COMMIT left the transaction open');
    },
    async close() {
      // Closing ends an open transaction (rolled back); destroy() closes the handle.
      await ds.destroy();
    },
  };
}

async function postgresSession(ds: DataSource): Promise<Session> {
  const runner = ds.createQueryRunner();
  // The pooled pg client this runner holds until it is released: BEGIN/COMMIT go to it directly,
  // where the server's answer says whether the transaction committed.
  const client = (await runner.connect()) as RawPg;
  return {
    manager: runner.manager,
    async begin() {
      await client.query('BEGIN');
    },
    async commit() {
      // A transaction that failed server-side answers COMMIT with "ROLLBACK", not with an error.
      const { command } = await client.query('COMMIT');
      if (command !== 'COMMIT') throw new TransactionNotCommittedError(`the database answered COMMIT with ${command ?? 'nothing'}`);
    },
    async close() {
      await runner.release().catch(() => undefined);
      await ds.destroy();
    },
  };
}
