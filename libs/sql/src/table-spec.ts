import { TableColumnOptions } from 'typeorm';
import { marks, quoted, SqlDialect } from './sql-dialect';
import { RawRow } from './sql-runner';

/** The portable column types Coffer's tables use (TypeORM's names, the same on SQLite and PostgreSQL). */
export type ColumnType = 'varchar' | 'text' | 'integer' | 'bigint' | 'boolean';

/** One column: its type, nullability, and how a driver value becomes the row's value. */
export interface Column<T> {
  readonly type: ColumnType;
  readonly isNullable: boolean;
  /** Driver value → row value; undefined when the driver's value is already right (strings). */
  readonly read?: (value: unknown) => T;
  nullable(): Column<T | null>;
}

function column<T>(type: ColumnType, read?: (value: unknown) => T, isNullable = false): Column<T> {
  return {
    type, isNullable, read,
    nullable: () => column<T | null>(type, read && ((v) => (v === null || v === undefined ? null : read(v))), true),
  };
}

/** Short text (names, ids, ISO times); `T` narrows it (a status union). */
export const varchar = <T extends string = string>(): Column<T> => column<T>('varchar');
/** Long text: JSON documents, ciphertext, certificates. */
export const text = <T extends string = string>(): Column<T> => column<T>('text');
export const integer = (): Column<number> => column('integer', Number);
/** pg returns bigint as a string; stream sequences and epoch milliseconds stay far below 2^53, so a number is exact. */
export const bigint = (): Column<number> => column('bigint', Number);
/** SQLite stores booleans as 0/1. */
export const bool = (): Column<boolean> => column('boolean', Boolean);

export type Columns = Record<string, Column<unknown>>;
/** The typed row a table's spec describes. */
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer T> ? T : never };
export type ColumnName<C extends Columns> = keyof C & string;

/**
 * One table, written once: its name, columns (in the order statements list them) and primary key.
 * Statements, row mapping, row type and the columns of a future migration all come from here.
 * Migrations already run stay as they were; a test checks the migrated tables equal their specs.
 */
export interface TableSpec<C extends Columns> extends AnyTableSpec {
  readonly name: string;
  readonly columns: C;
  readonly columnNames: readonly ColumnName<C>[];
  readonly primaryKey: readonly ColumnName<C>[];
  /** A driver row (`SELECT *`) → the typed row: booleans, bigints, nulls. */
  readonly row: (raw: RawRow) => RowOf<C>;
  /** `INSERT … (cols) VALUES (?…)` for `cols` (default: all), in that order. */
  insert(d: SqlDialect, cols?: readonly ColumnName<C>[]): string;
  /** INSERT … ON CONFLICT (primary key) DO UPDATE SET every other listed column. */
  upsert(d: SqlDialect, cols?: readonly ColumnName<C>[]): string;
  /** All columns but these, in spec order (the column list of an upsert that leaves them alone). */
  except(...cols: ColumnName<C>[]): ColumnName<C>[];
  /** The columns as a TypeORM migration creates them. */
  migrationColumns(): TableColumnOptions[];
}

/**
 * `(r) => ({ ...r, sequence: read0(r.sequence), enabled: read1(r.enabled) })`, generated once per table: as fast
 * as the hand-written mappers it replaces (a spread followed by assignments in a loop is three times slower,
 * which matters on every read). Only identifiers checked by defineTable reach the generated code.
 */
function rowMapper<C extends Columns>(columns: C): (raw: RawRow) => RowOf<C> {
  const reads = Object.entries(columns).flatMap(([c, col]) => (col.read ? [[c, col.read] as const] : []));
  const fields = reads.map(([c], i) => `${c}: read${i}(r.${c})`).join(', ');
  return new Function(...reads.map((_, i) => `read${i}`), `return (r) => ({ ...r, ${fields} });`)(...reads.map(([, read]) => read)) as (raw: RawRow) => RowOf<C>;
}

/** What every table spec has, whatever its columns (lists of tables: clearing, dumping, schema checks). */
export interface AnyTableSpec {
  readonly name: string;
  readonly columns: Columns;
  readonly columnNames: readonly string[];
  readonly primaryKey: readonly string[];
  readonly row: (raw: RawRow) => object;
  migrationColumns(): TableColumnOptions[];
}

export function defineTable<C extends Columns>(name: string, columns: C, opts: { primaryKey: readonly ColumnName<C>[] }): TableSpec<C> {
  const columnNames = Object.keys(columns) as ColumnName<C>[];
  const bad = [name, ...columnNames].find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
  if (bad !== undefined) throw new Error(`defineTable: '${bad}' is not a plain SQL identifier`);
  const list = (cols: readonly string[]) => cols.map(quoted).join(', ');
  const insert = (d: SqlDialect, cols: readonly ColumnName<C>[] = columnNames) =>
    `INSERT INTO ${d.table(name)} (${list(cols)}) VALUES (${marks(cols.length)})`;
  return {
    name, columns, columnNames, primaryKey: opts.primaryKey,
    row: rowMapper(columns),
    insert,
    upsert: (d, cols = columnNames) => {
      const rest = cols.filter((c) => !opts.primaryKey.includes(c));
      const set = rest.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(', ');
      return `${insert(d, cols)} ON CONFLICT (${list(opts.primaryKey)}) DO ${rest.length ? `UPDATE SET ${set}` : 'NOTHING'}`;
    },
    except: (...cols) => columnNames.filter((c) => !cols.includes(c)),
    migrationColumns: () =>
      columnNames.map((c) => ({
        name: c, type: columns[c]!.type, isNullable: columns[c]!.isNullable, ...(opts.primaryKey.includes(c) && { isPrimary: true }),
      })),
  };
}
