import { CofferClient } from '@coffer/client';
import { repoRoot } from '@coffer/config';
import { CofferStack, startCofferStack } from '@coffer/testing';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminCredentials } from '../auth-helpers';
import { runScript, setupWouldInstall } from '../start-script';

/**
 * Issue 9, part 6: every file and folder Coffer writes is 0600/0700 whatever the umask. Everything
 * here runs under umask 022 (the common default), so a file that relies on the umask shows up.
 */

const run = promisify(execFile);
const root = repoRoot();

/** Every path under `dir` (dir included) whose mode has group or other bits, as `mode path`. */
function widerThanPrivate(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(`${(stat.mode & 0o777).toString(8)} ${path}`);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return found;
}

/** Every path under `dir`, relative, for "the walk saw what it should" checks. */
function allPaths(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${prefix}${e.name}/`, ...allPaths(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]);
}

/** The umask of a running process, from /proc. */
const umaskOf = (pid: number) => /^Umask:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

describe('state files are private by construction (umask 022)', () => {
  let before: number;
  beforeAll(() => {
    before = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(before);
  });

  describe('a running Coffer (real processes) and its HSM token made by init-token.sh', () => {
    let stack: CofferStack;
    let hsmHome: string;
    let admin: CofferClient;

    beforeAll(async () => {
      // The embedded token as npm start makes it (infra/scripts/init-token.sh), under umask 022.
      hsmHome = mkdtempSync(join(tmpdir(), 'coffer-perm-hsm-'));
      chmodSync(hsmHome, 0o700);
      await run('bash', [join(root, 'infra', 'scripts', 'init-token.sh')], { env: { ...process.env, COFFER_HOME: hsmHome, COFFER_PKCS11_TOKEN: 'coffer-perm' } });
      const hsm = join(hsmHome, 'hsm');
      stack = await startCofferStack({
        env: {
          SOFTHSM2_CONF: join(hsm, 'softhsm2.conf'), COFFER_PKCS11_TOKEN: 'coffer-perm', COFFER_PKCS11_PIN_FILE: join(hsm, 'user.pin'),
        },
      });
      admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home) });
      // Work that writes: events, read model, audit chain, HSM token objects (a KEK, an RSA key).
      await admin.vaults.create('perm');
      await admin.secrets('perm').set('db', 'value');
      await admin.keys('perm').create('k', 'RSA');
      await admin.secrets('perm').get('db');
    });
    afterAll(async () => {
      await admin?.close();
      await stack?.stop();
      if (hsmHome) rmSync(hsmHome, { recursive: true, force: true });
    });

    it('every app and nats-server run with umask 0077, though started under 0022', () => {
      const pids = stack.pids();
      expect(Object.keys(pids).sort()).toEqual(['audit', 'crypto-worker', 'nats-server', 'projector', 'scheduler', 'vault']);
      for (const [name, pid] of Object.entries(pids)) expect([name, umaskOf(pid as number)]).toEqual([name, '0077']);
    });

    it('no file or folder in COFFER_HOME (NATS store, read model, audit chain incl. -wal/-shm, logs, credentials) is readable by others', () => {
      const paths = allPaths(stack.home);
      for (const expected of ['readmodel.sqlite', 'readmodel.sqlite-wal', 'audit.sqlite', 'admin.credentials', 'logs/vault.log', 'nats/jetstream/']) {
        expect(paths).toContain(expected);
      }
      expect(widerThanPrivate(stack.home)).toEqual([]);
    });

    it('the HSM token folder, its object files and the PIN files are private too', () => {
      const tokenFiles = allPaths(join(hsmHome, 'hsm', 'tokens')).filter((p) => p.endsWith('.object'));
      expect(tokenFiles.length).toBeGreaterThan(2); // the backup key, the vault's KEK, the RSA key …
      expect(widerThanPrivate(hsmHome)).toEqual([]);
    });
  });

  describe('the scripts', () => {
    const bash = (script: string, env: NodeJS.ProcessEnv = {}) =>
      execFileSync('bash', ['-c', `source infra/scripts/lib/common.sh; ${script}`], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });

    it('every script that sources common.sh runs with umask 077', () => {
      expect(bash('umask').trim()).toBe('0077');
    });

    it('tighten_home_modes makes an old home private without following symlinks out of it', () => {
      const home = mkdtempSync(join(tmpdir(), 'coffer-perm-old-'));
      const outside = mkdtempSync(join(tmpdir(), 'coffer-perm-outside-'));
      try {
        // What an older version left under umask 022.
        chmodSync(home, 0o755);
        mkdirSync(join(home, 'logs'), { mode: 0o755 });
        mkdirSync(join(home, 'run'), { mode: 0o755 });
        writeFileSync(join(home, 'readmodel.sqlite'), 'db', { mode: 0o644 });
        writeFileSync(join(home, 'logs', 'vault.log'), 'log', { mode: 0o644 });
        writeFileSync(join(home, 'run', 'vault.pid'), '1', { mode: 0o664 });
        writeFileSync(join(outside, 'shared.txt'), 'not coffer', { mode: 0o644 });
        symlinkSync(join(outside, 'shared.txt'), join(home, 'link'));
        expect(widerThanPrivate(home).length).toBe(6);

        bash('tighten_home_modes', { COFFER_HOME: home });
        expect(widerThanPrivate(home)).toEqual([]);
        expect(lstatSync(join(home, 'readmodel.sqlite')).mode & 0o777).toBe(0o600);
        expect(lstatSync(join(home, 'logs')).mode & 0o777).toBe(0o700);
        expect(lstatSync(join(outside, 'shared.txt')).mode & 0o777).toBe(0o644);
      } finally {
        rmSync(home, { recursive: true, force: true });
        rmSync(outside, { recursive: true, force: true });
      }
    });
  });

  describe('npm start (infra/scripts/start.sh) over a home an older version left readable', () => {
    const maybe = setupWouldInstall() ? it.skip : it;
    let home: string;
    const script = (name: string) => runScript(home, name);
    beforeAll(() => {
      home = mkdtempSync(join(tmpdir(), 'coffer-perm-start-'));
      // What an older version left behind under umask 022.
      chmodSync(home, 0o755);
      mkdirSync(join(home, 'logs'), { mode: 0o755 });
      writeFileSync(join(home, 'logs', 'vault.log'), 'old log\n', { mode: 0o644 });
      writeFileSync(join(home, 'readmodel.sqlite-old'), 'old', { mode: 0o644 });
    });
    afterAll(async () => {
      if (home) {
        await script('stop.sh').catch(() => undefined);
        rmSync(home, { recursive: true, force: true });
      }
    });

    maybe('every file and folder of a started Coffer is private, the old ones included, and every process runs with umask 0077', async () => {
      await script('start.sh');
      const pidFiles = readdirSync(join(home, 'run')).filter((f) => f.endsWith('.pid'));
      expect(pidFiles.sort()).toEqual(['audit.pid', 'crypto-worker.pid', 'gateway.pid', 'nats-server.pid', 'projector.pid', 'scheduler.pid', 'vault.pid']);
      for (const f of pidFiles) expect([f, umaskOf(Number(readFileSync(join(home, 'run', f), 'utf8')))]).toEqual([f, '0077']);
      const paths = allPaths(home);
      for (const expected of ['nats.url', 'hsm/user.pin', 'hsm/so.pin', 'readmodel.sqlite', 'audit.sqlite', 'admin.credentials', 'logs/vault.log', 'logs/nats-server.log']) {
        expect(paths).toContain(expected);
      }
      expect(paths.some((p) => p.startsWith('nats/jetstream/'))).toBe(true);
      expect(paths.some((p) => p.startsWith('hsm/tokens/') && p.endsWith('.object'))).toBe(true);
      expect(widerThanPrivate(home)).toEqual([]);
    }, 400_000);
  });

  describe('the CLI (a real process against a real Coffer)', () => {
    let stack: CofferStack;
    let dir: string;
    beforeAll(async () => {
      stack = await startCofferStack();
      dir = mkdtempSync(join(tmpdir(), 'coffer-perm-cli-'));
      chmodSync(dir, 0o755);
    });
    afterAll(async () => {
      await stack?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      run(process.execPath, [join(root, 'bin', 'coffer'), '--nats-url', stack.clientUrl, ...args], { env: { ...process.env, ...env } });

    it('a backup written with --file and the login token cache are 0600 (cache folder 0700); an existing 0644 file is made private', async () => {
      const credentials = join(stack.home, 'admin.credentials');
      await cli(['vault', 'create', '--name', 'cli'], { COFFER_CREDENTIALS: credentials });
      await cli(['secret', 'set', '--vault', 'cli', '-n', 'db', '--value', 's3cret'], { COFFER_CREDENTIALS: credentials });

      const fresh = join(dir, 'db.backup');
      await cli(['secret', 'backup', '--vault', 'cli', '-n', 'db', '--file', fresh], { COFFER_CREDENTIALS: credentials });
      expect(lstatSync(fresh).mode & 0o777).toBe(0o600);
      const existing = join(dir, 'existing.backup');
      writeFileSync(existing, 'old', { mode: 0o644 });
      await cli(['secret', 'backup', '--vault', 'cli', '-n', 'db', '--file', existing], { COFFER_CREDENTIALS: credentials });
      expect(lstatSync(existing).mode & 0o777).toBe(0o600);
      expect(readFileSync(existing, 'utf8')).not.toBe('old');

      const config = join(dir, 'config');
      const { clientId, clientSecret } = adminCredentials(stack.home);
      await cli(['login', '--client-id', clientId, '--client-secret', clientSecret], { XDG_CONFIG_HOME: config, HOME: dir });
      expect(lstatSync(join(config, 'coffer', 'token.json')).mode & 0o777).toBe(0o600);
      expect(lstatSync(join(config, 'coffer')).mode & 0o777).toBe(0o700);
      expect(widerThanPrivate(config).filter((p) => !p.endsWith(` ${config}`))).toEqual([]);
    });
  });
});
