import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort } from './nats-server';

export interface SpawnedCluster {
  urls: string[];
  /** Stops one node hard (kill -9), as a crash would. */
  kill(node: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real JetStream cluster on this machine: `size` nats-servers on free ports, routed to each other,
 * each with its own store directory. Resolves once JetStream has a meta leader (streams can be made).
 */
export async function startNatsCluster(size = 3): Promise<SpawnedCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-cluster-'));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const nodes: ChildProcess[] = ports.map((port, i) =>
    spawn(
      'nats-server',
      ['-a', '127.0.0.1', '-p', String(port), '-n', `coffer-n${i}`, '-js', '-sd', join(dir, `n${i}`),
        '--cluster_name', 'coffer', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes],
      { stdio: 'ignore' },
    ),
  );
  const urls = ports.map((p) => `nats://127.0.0.1:${p}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const nc = await connect({ servers: urls[0], reconnect: false });
      try {
        const info = await (await nc.jetstreamManager()).getAccountInfo();
        if (info) break;
      } finally {
        await nc.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`cluster did not form: ${err}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const stopNode = async (node: ChildProcess, signal: NodeJS.Signals) => {
    if (node.exitCode !== null || node.signalCode !== null) return;
    const exited = new Promise((r) => node.once('exit', r));
    node.kill(signal);
    await exited;
  };
  return {
    urls,
    kill: (i) => stopNode(nodes[i], 'SIGKILL'),
    async stop() {
      await Promise.all(nodes.map((n) => stopNode(n, 'SIGTERM')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
