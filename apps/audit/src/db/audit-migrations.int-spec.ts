import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithSpecs, createDataSource } from '@coffer/sql';
import { createTestSchema, postgresAvailableSync } from '@coffer/testing';
import { DataSource } from 'typeorm';
import { openAuditDataSource } from './audit-data-source';
import { AUDIT_TABLES, AuditRecordRow } from './audit-tables';
import { AUDIT_MIGRATIONS_TABLE, InitialAudit1767225600000 } from './audit-migrations';
import { AuditStore } from './audit-store';

const COLUMNS = ['seq', 'position', 'time', 'requestId', 'principal', 'action', 'objectId', 'version', 'outcome', 'errorCode', 'subject', 'hash'];
const legacyRow = (seq: number) => [seq, seq, '2025-01-01T00:00:00.000Z', `r-${seq}`, 'p-1', 'a', '/vaults/prod', null, 'succeeded', null, 's', 'ab'.repeat(32)];

/** An audit database written before group commit (rows keyed by stream sequence alone) is migrated in place. */
function migrationSuite(name: string, dbUrl: () => Promise<{ url: string; schema?: string; drop(): Promise<void> }>) {
  describe(`audit migrations (${name})`, () => {
    let db: { url: string; schema?: string; drop(): Promise<void> };
    let ds: DataSource | undefined;
    beforeAll(async () => {
      db = await dbUrl();
    });
    afterAll(async () => {
      await ds?.destroy();
      await db?.drop();
    });

    it('keys legacy rows by (seq, idx 0) and accepts several records per sequence', async () => {
      const old = createDataSource(db.url, {
        schema: { migrations: [InitialAudit1767225600000], migrationsTableName: AUDIT_MIGRATIONS_TABLE },
      });
      await old.initialize();
      await old.runMigrations({ transaction: 'all' });
      const postgres = old.options.type === 'postgres';
      const params = COLUMNS.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
      const legacyTable = db.schema ? `"${db.schema}"."audit_records"` : '"audit_records"';
      for (const seq of [1, 2]) await old.query(`INSERT INTO ${legacyTable} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${params})`, legacyRow(seq));
      await old.destroy();

      ds = await openAuditDataSource(db.url);
      const qr = ds.createQueryRunner();
      const table = (await qr.getTable('audit_records'))!;
      await qr.release();
      expect(table.primaryColumns.map((c) => c.name).sort()).toEqual(['idx', 'seq']);
      expect(table.indices.find((i) => i.name === 'IDX_audit_records_position')).toMatchObject({ columnNames: ['position'], isUnique: true });
      const store = new AuditStore(ds);
      expect((await store.rowsAfter(0)).map((r) => [r.seq, r.index, r.position])).toEqual([[1, 0, 1], [2, 0, 2]]);
      const row = (seq: number, idx: number, position: number): AuditRecordRow => ({
        seq, idx, position, time: 't', requestId: 'r', principal: null, action: 'a', objectId: '/', version: null, outcome: 'succeeded',
        errorCode: null, subject: 's', hash: 'cd'.repeat(32), count: null, lastTime: null,
      });
      await store.append([row(3, 0, 3), row(3, 1, 4), row(3, 2, 5)]);
      expect(await store.head()).toMatchObject({ seq: 3, position: 5 });
      const refused = (rows: AuditRecordRow[]) => store.append(rows).then(() => 'stored', (e: Error) => `refused: ${e.message}`);
      const sameKey = await refused([row(3, 1, 6)]); // (seq, idx) is the key
      const samePosition = await refused([row(4, 0, 5)]); // one row per chain position
      const stored = (await store.rowsAfter(0)).map((r) => `${r.seq}.${r.index}@${r.position}`);
      expect({ sameKey, samePosition, stored }).toEqual({
        sameKey: expect.stringMatching(/^refused/), samePosition: expect.stringMatching(/^refused/), stored: ['1.0@1', '2.0@2', '3.0@3', '3.1@4', '3.2@5'],
      });
    });

    it('ends with exactly the tables the store reads and writes (audit-tables.ts)', async () => {
      const { migrated, specified } = await compareWithSpecs(ds!, AUDIT_TABLES);
      expect(migrated).toEqual(specified);
    });
  });
}

migrationSuite('SQLite', async () => {
  const home = mkdtempSync(join(tmpdir(), 'coffer-audit-migrations-'));
  return { url: `sqlite:${join(home, 'audit.sqlite')}`, drop: async () => rmSync(home, { recursive: true, force: true }) };
});
if (postgresAvailableSync()) migrationSuite('PostgreSQL', () => createTestSchema());
else console.warn('audit-migrations.int-spec: PostgreSQL at 127.0.0.1:5432 does not answer; its suite is SKIPPED');
