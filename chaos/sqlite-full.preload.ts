/**
 * Fault injection, loaded into one app with `NODE_OPTIONS=--require …/sqlite-full.preload.js`: a
 * full disk under its SQLite databases, portable and without root. Every better-sqlite3 connection
 * the process opens is remembered; on SIGUSR2 the file named by COFFER_CHAOS_DISK_CONTROL is read:
 * `full` caps each connection at its current size (`PRAGMA max_page_count`, so the next write that
 * needs a page fails with SQLITE_FULL, as on a full disk), `free` lifts the cap. The state applied is
 * written to `<control>.applied` so the injector knows it took effect.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Db {
  open: boolean;
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

const control = process.env.COFFER_CHAOS_DISK_CONTROL;
if (control) {
  // Loaded by path and replaced in the module cache, so every later require of it gets the tracking constructor.
  const load = createRequire(__filename);
  const path = load.resolve('better-sqlite3');
  const Original = load(path) as new (...args: unknown[]) => Db;
  const open: Db[] = [];
  let full = false;
  const apply = (db: Db) => {
    if (!db.open) return;
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.pragma(`max_page_count = ${full ? Math.max(pages, 1) : 1_073_741_823}`);
  };
  // A constructor that returns the real connection: TypeORM (and any other user) gets a genuine one.
  function Tracked(this: unknown, ...args: unknown[]): Db {
    const db = new Original(...args);
    open.push(db);
    if (full) apply(db);
    return db;
  }
  Object.setPrototypeOf(Tracked, Original);
  Tracked.prototype = Original.prototype;
  load.cache[path]!.exports = Tracked;

  process.on('SIGUSR2', () => {
    let applied: string;
    try {
      full = readFileSync(control, 'utf8').trim() === 'full';
      for (const db of open.splice(0).filter((d) => d.open)) {
        apply(db);
        open.push(db);
      }
      applied = `${full ? 'full' : 'free'} ${open.length}`;
    } catch (err) {
      applied = `error ${(err as Error).message}`;
    }
    writeFileSync(`${control}.applied`, applied);
  });
}
