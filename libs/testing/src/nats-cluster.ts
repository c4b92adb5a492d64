import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ConnectionOptions } from 'nats';
import { NATS_CLIENT_USER, NATS_USERS, natsClientOptions, natsUrlWithCredentials } from '@coffer/config';
import { appNatsEnv, freePort, NatsApp, NatsEndpoint, renderNatsConfig, TEMPLATE_USERS } from './nats-server';

export interface SpawnedCluster extends NatsEndpoint {
  /** Each node's address, `nats://127.0.0.1:<port>`, no credentials. */
  urls: string[];
  /** Stops one node hard (kill -9), as a crash would. */
  kill(node: number): Promise<void>;
  /** Starts a node that was killed again, with its store (it rejoins the cluster). */
  restart(node: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /**
   * Each node runs infra/nats/coffer.conf.template (a user per app, coffer-client, coffer-admin,
   * the same fresh passwords on every node) plus its cluster block, as a production cluster would.
   */
  auth?: boolean;
}

/**
 * A real JetStream cluster on this machine: `size` nats-servers on free ports, routed to each other,
 * each with its own store directory. Resolves once JetStream has a meta leader (streams can be made).
 */
export async function startNatsCluster(size = 3, opts: StartClusterOptions = {}): Promise<SpawnedCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-cluster-'));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`);
  const urls = ports.map((p) => `nats://127.0.0.1:${p}`);
  const address = urls.join(',');
  const passwords: Record<string, string> = opts.auth ? Object.fromEntries(TEMPLATE_USERS.map((u) => [u, randomBytes(24).toString('hex')])) : {};

  const argsOf = (i: number): string[] => {
    const storeDir = join(dir, `n${i}`);
    if (!opts.auth) {
      return ['-a', '127.0.0.1', '-p', String(ports[i]), '-n', `coffer-n${i}`, '-js', '-sd', storeDir,
        '--cluster_name', 'coffer', '--cluster', routes[i]!, '--routes', routes.join(',')];
    }
    const conf = renderNatsConfig({ port: ports[i]!, storeDir, passwords })
      .replace(/^server_name: .*$/m, `server_name: coffer-n${i}`)
      + `\ncluster {\n  name: coffer\n  listen: 127.0.0.1:${routePorts[i]}\n  routes: [${routes.map((r) => `"${r}"`).join(', ')}]\n}\n`;
    const file = join(dir, `n${i}.conf`);
    writeFileSync(file, conf, { mode: 0o600 });
    return ['-c', file];
  };
  const nodes: ChildProcess[] = [];
  const startNode = (i: number) => {
    nodes[i] = spawn('nats-server', argsOf(i), { stdio: 'ignore' });
  };
  for (let i = 0; i < size; i++) startNode(i);

  const userUrl = (user: string) => (passwords[user] ? natsUrlWithCredentials(address, user, passwords[user]) : address);
  const alias = (user: string) => (user === 'admin' ? NATS_USERS.admin : user === 'client' ? NATS_CLIENT_USER : user);
  const connectOptions = (user: string): ConnectionOptions => natsClientOptions(userUrl(alias(user)), {});
  const appEnv = (app: NatsApp) => appNatsEnv(app, address, opts.auth ? (user) => passwords[user] : undefined);

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const nc = await connect({ ...connectOptions('admin'), servers: urls[0], reconnect: false });
      try {
        const info = await (await nc.jetstreamManager()).getAccountInfo();
        if (info) break;
      } finally {
        await nc.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`cluster did not form: ${err}`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const stopNode = async (node: ChildProcess | undefined, signal: NodeJS.Signals) => {
    if (!node || node.exitCode !== null || node.signalCode !== null) return;
    const exited = new Promise((r) => node.once('exit', r));
    node.kill(signal);
    await exited;
  };
  return {
    urls,
    url: userUrl(NATS_CLIENT_USER),
    clientUrl: userUrl(NATS_CLIENT_USER),
    adminUrl: userUrl(NATS_USERS.admin),
    userUrl, appEnv, connectOptions,
    kill: (i) => stopNode(nodes[i], 'SIGKILL'),
    async restart(i) {
      await stopNode(nodes[i], 'SIGKILL');
      startNode(i);
    },
    async stop() {
      await Promise.all(nodes.map((n) => stopNode(n, 'SIGTERM')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
