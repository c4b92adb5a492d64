import { spawnSync } from 'node:child_process';

/**
 * Synchronous PostgreSQL check so a suite can choose `describe` or `describe.skip` at load time
 * (jest has no top-level await in CommonJS). Prints clearly when the suite is skipped.
 */
export function postgresAvailableSync(url = process.env.COFFER_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test'): boolean {
  const script = `const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:2000});
c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)});`;
  const r = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 10_000, cwd: __dirname });
  if (r.status === 0) return true;
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPED: PostgreSQL suite — no PostgreSQL answers at ${url} (${(r.stderr || r.error?.message || '').trim()}) ***\n`);
  return false;
}
