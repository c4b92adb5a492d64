import { DataSource } from 'typeorm';

/**
 * Statements are written once, with `?` placeholders and double-quoted identifiers; both drivers
 * accept them once PostgreSQL's are numbered `$1, $2…` and its tables schema-qualified.
 */
export interface SqlDialect {
  readonly postgres: boolean;
  /** The quoted (on PostgreSQL, schema-qualified) name of a table. */
  table(name: string): string;
}

export const quoted = (name: string): string => `"${name}"`;

export function dialectOf(ds: DataSource): SqlDialect {
  const postgres = ds.options.type === 'postgres';
  const schema = postgres ? (ds.options as { schema?: string }).schema : undefined;
  return { postgres, table: (name) => (schema ? `${quoted(schema)}.${quoted(name)}` : quoted(name)) };
}

/** `?` → `$1, $2…` (PostgreSQL). The statements never hold a literal `?`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `?, ?, ?` for n values. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * A named set of statements, built once per DataSource from `build` (`?` placeholders) and numbered
 * for PostgreSQL: `const sqlOf = statementSet((d) => ({ get: `SELECT … FROM ${d.table('t')} WHERE "k" = ?` }))`.
 */
export function statementSet<T extends Record<string, string>>(build: (d: SqlDialect) => T): (ds: DataSource) => T {
  const cache = new WeakMap<DataSource, T>();
  return (ds) => {
    let set = cache.get(ds);
    if (!set) {
      const d = dialectOf(ds);
      const raw = build(d);
      set = d.postgres ? (Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, numbered(v)])) as T) : raw;
      cache.set(ds, set);
    }
    return set;
  };
}
