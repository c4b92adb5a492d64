import { DataSource, EntityManager } from 'typeorm';
import { dialectOf, numbered, quoted } from './sql-dialect';
import { RawRow } from './sql-runner';
import { AnyTableSpec } from './table-spec';

type SpecRow<S extends AnyTableSpec> = ReturnType<S['row']>;

/**
 * Every row of a table matching `where` (equality on each given column), ordered by `orderBy`
 * (default: the primary key), as typed rows. For tests, dumps and admin tools: hot paths prepare their statements.
 */
export async function tableRows<S extends AnyTableSpec>(
  target: DataSource | EntityManager,
  spec: S,
  opts: { where?: Partial<SpecRow<S>>; orderBy?: readonly S['columnNames'][number][] } = {},
): Promise<SpecRow<S>[]> {
  const d = dialectOf(target instanceof DataSource ? target : target.connection);
  const where = Object.entries(opts.where ?? {});
  const filter = where.length ? ` WHERE ${where.map(([c]) => `${quoted(c)} = ?`).join(' AND ')}` : '';
  const sql = `SELECT * FROM ${d.table(spec.name)}${filter} ORDER BY ${(opts.orderBy ?? spec.primaryKey).map(quoted).join(', ')}`;
  const params = where.map(([, v]) => (typeof v === 'boolean' && !d.postgres ? Number(v) : v));
  return ((await target.query(d.postgres ? numbered(sql) : sql, params)) as RawRow[]).map((r) => spec.row(r) as SpecRow<S>);
}
