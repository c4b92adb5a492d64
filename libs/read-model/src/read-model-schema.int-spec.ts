import { compareWithSpecs } from '@coffer/sql';
import { DataSource } from 'typeorm';
import { openReadModel } from './read-model-data-source';
import { READ_MODEL_TABLES } from './tables/read-model.tables';
import { describeOn, postgresBackend, sqliteBackend, TestBackend, TestDatabase } from './testing/read-model-backends';

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
      const { migrated, specified } = await compareWithSpecs(ds, READ_MODEL_TABLES);
      expect(migrated).toEqual(specified);
    });
  });
}

schemaSuite(sqliteBackend);
if (!postgresBackend.available) console.warn('read-model-schema.int-spec: PostgreSQL at 127.0.0.1:5432 does not answer; its schema check is SKIPPED');
schemaSuite(postgresBackend);
