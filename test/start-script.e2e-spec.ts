import { repoRoot } from '@coffer/config';
import { until } from '@coffer/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runScript, scriptEnv, setupWouldInstall } from './start-script';

/**
 * Issue 13, item 5: after nats-server dies, `npm start` brings the vault back whatever happened to
 * its port meanwhile. Before, it started the server on a new port when the old one was taken, and
 * the apps that outlived it kept reconnecting to the old port forever.
 */

const run = promisify(execFile);
const maybe = setupWouldInstall() ? describe.skip : describe;

maybe('npm start after nats-server died (real processes, infra/scripts/start.sh)', () => {
  let home: string;
  let squatter: Server | undefined;
  const pidOf = (name: string) => Number(readFileSync(join(home, 'run', `${name}.pid`), 'utf8'));
  const portOf = () => Number(/:(\d+)$/.exec(readFileSync(join(home, 'nats.url'), 'utf8').trim())![1]);
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  /** `coffer status` through the client URL npm start wrote: exit 0 only when every app answers and is ok. */
  const healthy = () => run(process.execPath, [join(repoRoot(), 'bin', 'coffer'), 'status'], { env: { ...scriptEnv(), COFFER_HOME: home }, timeout: 30_000 })
    .then(() => true, () => false);
  const killNats = async () => {
    const pid = pidOf('nats-server');
    process.kill(pid, 'SIGKILL');
    await until('nats-server gone', () => !alive(pid), 10_000);
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'coffer-start-'));
    await runScript(home, 'start.sh');
  }, 400_000);
  afterAll(async () => {
    squatter?.close();
    if (home) {
      await runScript(home, 'stop.sh').catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('comes back on the same port when it is free, and the running apps reconnect', async () => {
    const port = portOf();
    const vault = pidOf('vault');
    await killNats();
    await runScript(home, 'start.sh');
    expect(portOf()).toBe(port);
    expect(pidOf('vault')).toBe(vault); // not restarted: it reconnected by itself
    await until('coffer status ok', healthy, 60_000, 500);
  }, 400_000);

  it('moves to a new port when the old one is taken, and restarts the apps that pointed at the old one', async () => {
    const port = portOf();
    const vault = pidOf('vault');
    await killNats();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter!.listen(port, '127.0.0.1', resolve));
    const { stdout } = await runScript(home, 'start.sh');
    expect(stdout).toContain(`port ${port} is taken by another process`);
    expect(portOf()).not.toBe(port);
    expect(pidOf('vault')).not.toBe(vault);
    expect(alive(vault)).toBe(false);
    await until('coffer status ok', healthy, 60_000, 500);
  }, 400_000);
});
