import { DataSource, TableColumn } from 'typeorm';
import { openReadModel } from './read-model-data-source';
import { READ_MODEL_TABLES } from './tables/read-model.tables';
import { describeOn, postgresBackend, sqliteBackend, TestBackend, TestDatabase } from './testing/read-model-backends';

/** What a migrated column is, in the terms of a spec (drivers name types differently). */
const FAMILY: Record<string, string> = {
  varchar: 'varchar', 'character varying': 'varchar', text: 'text', integer: 'integer', int: 'integer', bigint: 'bigint', boolean: 'boolean',
};
const described = (c: { name: string; type: string; isNullable?: boolean; isPrimary?: boolean }) =>
  `${c.name} ${FAMILY[c.type.toLowerCase()] ?? c.type}${c.isNullable ? ' null' : ''}${c.isPrimary ? ' primary' : ''}`;

/**
 * The migrations are frozen history (existing databases ran them) and the table specs are what the
 * code reads and writes: a fresh database migrated to the end must have exactly the specs' columns.
 */
function schemaSuite(backend: TestBackend): void {
  describeOn(backend)(`read-model migrations on ${backend.name} create the table specs`, () => {
    let db: TestDatabase;
    let ds: DataSource;
    beforeAll(async () => {
      db = await backend.create();
      ds = await openReadModel(db.url);
    });
    afterAll(async () => {
      await ds?.destroy();
      await db?.drop();
    });

    it('every table has its spec\'s columns: names, types, nullability and primary key', async () => {
      const qr = ds.createQueryRunner();
      try {
        const tables = await qr.getTables(READ_MODEL_TABLES.map((t) => t.name));
        const migrated = Object.fromEntries(tables.map((t) => [t.name.split('.').pop()!, t.columns.map((c: TableColumn) => described(c)).sort()]));
        const specified = Object.fromEntries(READ_MODEL_TABLES.map((t) => [t.name, t.migrationColumns().map(described).sort()]));
        expect(migrated).toEqual(specified);
      } finally {
        await qr.release();
      }
    });
  });
}

schemaSuite(sqliteBackend);
if (!postgresBackend.available) console.warn('read-model-schema.int-spec: PostgreSQL at 127.0.0.1:5432 does not answer; its schema check is SKIPPED');
schemaSuite(postgresBackend);
