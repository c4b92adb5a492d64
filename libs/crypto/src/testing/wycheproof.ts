import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DigestName } from '@coffer/contracts';

/**
 * Loads the Project Wycheproof vectors shipped (gzipped, unchanged) in libs/crypto/test-vectors and
 * runs every test of a file against a check: `valid` must pass, `invalid` must fail, and
 * `acceptable` tests do what the caller's per-flag policy says (a flag without a policy fails).
 */
export const WYCHEPROOF_DIR = join(__dirname, '../../test-vectors/wycheproof');

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';
export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig?: string;
  ct?: string;
  label?: string;
  result: WycheproofResult;
}
export type WycheproofGroup<G> = G & { tests: WycheproofTest[] };
export interface WycheproofFile<G> {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<WycheproofGroup<G>>;
}

/** The shipped vector files whose name starts with `prefix`. */
export const vectorFiles = (prefix: string): string[] =>
  readdirSync(WYCHEPROOF_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.json.gz')).sort();

export function loadVectors<G>(file: string): WycheproofFile<G> {
  return JSON.parse(gunzipSync(readFileSync(join(WYCHEPROOF_DIR, file))).toString('utf8')) as WycheproofFile<G>;
}

const HASHES: Record<string, DigestName | 'sha1'> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
/** node:crypto's name of a Wycheproof hash name. */
export function hashOf(sha: string): DigestName | 'sha1' {
  const hash = HASHES[sha];
  if (!hash) throw new Error(`unexpected hash ${sha}`);
  return hash;
}

export const hex = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'hex');

export interface VectorRun {
  counts: Record<WycheproofResult, number>;
  /** Tests whose outcome differs from what their result (or the acceptable policy) requires. */
  mismatches: Array<{ tcId: number; comment: string; flags: string[]; result: WycheproofResult; passed: boolean }>;
}

/** What Coffer does with an `acceptable` test carrying a flag: true = accepts it, false = rejects it. */
export type AcceptablePolicy = Readonly<Record<string, boolean>>;

export function runVectors<G>(file: WycheproofFile<G>, check: (group: WycheproofGroup<G>, test: WycheproofTest) => boolean, acceptable: AcceptablePolicy = {}): VectorRun {
  const run: VectorRun = { counts: { valid: 0, invalid: 0, acceptable: 0 }, mismatches: [] };
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      run.counts[test.result]++;
      const passed = check(group, test);
      const policies = test.flags.filter((f) => f in acceptable).map((f) => acceptable[f]);
      const expected = test.result === 'valid' ? true : test.result === 'invalid' ? false : policies.length > 0 && policies.every((p) => p === policies[0]) ? policies[0] : undefined;
      if (passed !== expected) run.mismatches.push({ tcId: test.tcId, comment: test.comment, flags: test.flags, result: test.result, passed });
    }
  }
  return run;
}
