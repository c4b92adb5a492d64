import { repoRoot } from '@coffer/config';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = repoRoot();

/**
 * True when start.sh's setup would run `npm ci` (package-lock.json newer than the installed tree):
 * a test must never do that (node_modules may be shared). `npm test` runs setup first, so there it
 * does not happen and the tests that run start.sh run.
 */
export function setupWouldInstall(): boolean {
  const installed = join(root, 'node_modules', '.package-lock.json');
  return !existsSync(installed) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

/** The caller's environment without COFFER_* and SOFTHSM2_CONF (an external NATS URL would change the test). */
export function scriptEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COFFER_') && k !== 'SOFTHSM2_CONF'));
}

/** Runs one of infra/scripts (start.sh, stop.sh, …) for the Coffer home `home`, with no COFFER_* from the caller. */
export function runScript(home: string, name: string, args: string[] = []) {
  const env = { ...scriptEnv(), COFFER_HOME: home, COFFER_START_TIMEOUT: '180' };
  return run('bash', [join(root, 'infra', 'scripts', name), ...args], { env, cwd: root, timeout: 300_000 });
}
