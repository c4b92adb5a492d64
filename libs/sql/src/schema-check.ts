import { DataSource, TableColumnOptions } from 'typeorm';
import { AnyTableSpec } from './table-spec';

/** What a column is, in the terms of a spec (drivers name types differently). */
const FAMILY: Record<string, string> = {
  varchar: 'varchar', 'character varying': 'varchar', text: 'text', integer: 'integer', int: 'integer', bigint: 'bigint', boolean: 'boolean',
};
const described = (c: Pick<TableColumnOptions, 'name' | 'type' | 'isNullable' | 'isPrimary'>) =>
  `${c.name} ${FAMILY[c.type.toLowerCase()] ?? c.type}${c.isNullable ? ' null' : ''}${c.isPrimary ? ' primary' : ''}`;

/**
 * Each table's columns as the database has them ("name type [null] [primary]", sorted), beside what
 * the specs say: equal when the migrations (frozen history) created exactly the specs.
 */
export async function compareWithSpecs(ds: DataSource, tables: readonly AnyTableSpec[]): Promise<{ migrated: object; specified: object }> {
  const qr = ds.createQueryRunner();
  try {
    const found = await qr.getTables(tables.map((t) => t.name));
    return {
      migrated: Object.fromEntries(found.map((t) => [t.name.split('.').pop()!, t.columns.map(described).sort()])),
      specified: Object.fromEntries(tables.map((t) => [t.name, t.migrationColumns().map(described).sort()])),
    };
  } finally {
    await qr.release();
  }
}
