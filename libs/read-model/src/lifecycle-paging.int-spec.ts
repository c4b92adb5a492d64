import { createTestSchema, postgresAvailableSync } from '@coffer/testing';
import { sqlRunner } from '@coffer/sql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LifecycleQueries, SCAN_START, ScanCursor } from './lifecycle.queries';
import { openReadModel } from './read-model-data-source';

const backends = [
  { name: 'SQLite', postgres: false, run: describe },
  { name: 'PostgreSQL', postgres: true, run: postgresAvailableSync() ? describe : describe.skip },
];

/** The scheduler's keyset paging (row-value comparison on (vault, name)) visits every row once, in order, across vaults. */
for (const { name: backend, postgres, run } of backends) run(`lifecycle scan paging on ${backend}`, () => {
  let ds: DataSource;
  let cleanup: () => Promise<void>;
  /** A table's name as raw SQL must give it (the test schema on PostgreSQL). */
  let table = (name: string) => `"${name}"`;

  beforeAll(async () => {
    if (postgres) {
      const schema = await createTestSchema();
      ds = await openReadModel(schema.url);
      table = (name) => `"${schema.schema}"."${name}"`;
      cleanup = () => schema.drop();
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'coffer-lifecycle-paging-'));
      ds = await openReadModel(`sqlite:${join(dir, 'rm.sqlite')}`);
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    const raw = sqlRunner(ds);
    // PostgreSQL numbers its placeholders.
    const run = (sql: string, params: unknown[]) => raw(postgres ? sql.replace(/\?/g, ((n) => () => `$${++n}`)(0)) : sql, params);
    const t = '2026-01-01T00:00:00.000Z';
    const exp = '2026-01-10T00:00:00.000Z';
    for (const vault of ['a-vault', 'b-vault', 'c-vault']) {
      await run(`INSERT INTO ${table('vaults')} ("name","kekId","retentionDays","purgeProtection","created","updated","sequence") VALUES (?,?,?,?,?,?,?)`, [vault, 'kek', 90, postgres ? false : 0, t, t, 1]);
      for (let i = 0; i < 5; i++) {
        const v = `${vault}-${i}`.padEnd(32, '0');
        await run(`INSERT INTO ${table('secrets')} ("vault","name","status","currentVersion","sequence","dek","versionCount","created","updated") VALUES (?,?,?,?,?,?,?,?,?)`, [vault, `s-${i}`, 'active', v, i + 2, 1, 1, t, t]);
        await run(`INSERT INTO ${table('secret_versions')} ("vault","name","version","ordinal","value","dek","enabled","exp","created","updated") VALUES (?,?,?,?,?,?,?,?,?,?)`, [vault, `s-${i}`, v, 1, '{}', 1, postgres ? true : 1, exp, t, t]);
      }
    }
  });

  afterAll(async () => {
    await ds.destroy();
    await cleanup();
  });

  it('pages of two visit all 15 secrets of three vaults once, in (vault, name) order', async () => {
    const queries = new LifecycleQueries(ds);
    const seen: string[] = [];
    let after: ScanCursor = SCAN_START;
    for (;;) {
      const page = await queries.secretsExpiring('2026-02-01T00:00:00.000Z', after, 2);
      seen.push(...page.map((r) => `${r.vault}/${r.name}`));
      if (page.length < 2) break;
      after = { vault: page[page.length - 1].vault, name: page[page.length - 1].name };
    }
    const expected = ['a-vault', 'b-vault', 'c-vault'].flatMap((v) => [0, 1, 2, 3, 4].map((i) => `${v}/s-${i}`));
    expect(seen).toEqual(expected);
  });
});
