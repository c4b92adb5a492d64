import { spawnSync } from 'node:child_process';
import { Client } from 'pg';

export const TEST_POSTGRES_URL = process.env.COFFER_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

const skipped = (url: string, why: string) =>
   
  console.warn(`\n*** SKIPPED: PostgreSQL suite — no PostgreSQL answers at ${url} (${why}) ***\n`);

/**
 * The same check, synchronously, so a suite can choose `describe` or `describe.skip` while it loads
 * (jest has no top-level await in CommonJS).
 */
export function postgresAvailableSync(url = TEST_POSTGRES_URL): boolean {
  const script = `const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:2000});
c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)});`;
  const r = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 10_000, cwd: __dirname });
  if (r.status === 0) return true;
  skipped(url, (r.stderr || r.error?.message || '').trim());
  return false;
}

/** True when the test PostgreSQL answers; otherwise prints clearly that PostgreSQL suites are skipped. */
export async function postgresAvailable(url = TEST_POSTGRES_URL): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    skipped(url, (err as Error).message);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema in the test database, so suites never see each other's tables. */
export async function createTestSchema(url = TEST_POSTGRES_URL): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `coffer_t_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const sep = url.includes('?') ? '&' : '?';
  return {
    url: `${url}${sep}schema=${schema}`,
    schema,
    async drop() {
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
