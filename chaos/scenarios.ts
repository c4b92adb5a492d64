import { repoRoot } from '@coffer/config';
import { Streams } from '@coffer/contracts';
import { CofferApp, CofferStack, connectTo, SpawnedCluster, until } from '@coffer/testing';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workload } from './workload';

/** JetStream's Nats-Msg-Id window for chaos runs: short, so a stalled projector outlasts it. */
export const CHAOS_DEDUPE_WINDOW_MS = 1_000;
/** How long the vault waits for its event to be projected before answering ServiceUnavailable. */
export const CHAOS_PROJECTION_WAIT_MS = 2_000;

export interface FaultContext {
  stack: CofferStack;
  /** Set for scenarios on the 3-node cluster. */
  cluster?: SpawnedCluster;
  workload: Workload;
  /** Seconds the scenario runs for (--seconds). */
  seconds: number;
  progress(line: string): void;
}

export interface InjectedFault {
  /** When the fault was over: the restart issued, SIGCONT sent, space freed (recovery is measured from here). */
  endedAt: number;
  /** Run once writes succeed again (e.g. bring a killed cluster node back). */
  afterRecovery?: () => Promise<void>;
}

export interface Scenario {
  name: string;
  /** What is done, for the report. */
  fault: string;
  topology: 'single' | 'cluster';
  /** Extra environment for every app of this scenario's stack. */
  env?: Record<string, string>;
  /** Extra environment for one app of this scenario's stack. */
  appEnv?: Partial<Record<CofferApp, Record<string, string>>>;
  inject(ctx: FaultContext): Promise<InjectedFault>;
}

/** kill -9 of one app, restarted at once (as a supervisor would). */
function killApp(app: CofferApp): Scenario {
  return {
    name: `kill-${app}`,
    fault: `kill -9 ${app}, restart`,
    topology: 'single',
    // Without the vault's data-key cache every write needs the crypto-worker, so its death is felt.
    ...(app === 'crypto-worker' && { env: { COFFER_DEK_CACHE_TTL_MS: '0' } }),
    async inject({ stack }) {
      await stack.kill(app, 'SIGKILL');
      const endedAt = Date.now();
      await stack.start(app);
      return { endedAt };
    },
  };
}

/** Holds a fault for a share of the run, at least `minMs`. */
const holdMs = (seconds: number, minMs: number) => Math.max(minMs, seconds * 300);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const stopProjector: Scenario = {
  name: 'stop-projector',
  fault: `SIGSTOP projector past the ${CHAOS_DEDUPE_WINDOW_MS / 1000} s msg-id window, SIGCONT`,
  topology: 'single',
  async inject({ stack, workload, seconds, progress }) {
    const pid = stack.pids().projector;
    if (!pid) throw new Error('projector is not running');
    const retriesBefore = workload.retries;
    process.kill(pid, 'SIGSTOP');
    try {
      // Long enough that writes time out and are retried with their request id after JetStream forgot it.
      await sleep(holdMs(seconds, 3 * CHAOS_DEDUPE_WINDOW_MS + 2 * CHAOS_PROJECTION_WAIT_MS));
      await until('writes retried while the projector is stopped', () => workload.retries >= retriesBefore + 16, 60_000, 100);
      progress(`${workload.retries - retriesBefore} attempts retried with their request id while the projector was stopped`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return { endedAt: Date.now() };
  },
};

const killNats: Scenario = {
  name: 'kill-nats',
  fault: 'kill -9 nats-server, restart (same port and store)',
  topology: 'single',
  async inject({ stack }) {
    await stack.nats.kill('SIGKILL');
    const endedAt = Date.now();
    await stack.nats.restart();
    return { endedAt };
  },
};

/** The full-disk hook's control file (one per chaos process). */
const DISK_CONTROL = join(tmpdir(), `coffer-chaos-disk-${process.pid}`);

const fullDisk: Scenario = {
  name: 'full-disk',
  fault: 'read model full (SQLITE_FULL via max_page_count), then space freed',
  topology: 'single',
  appEnv: {
    projector: {
      COFFER_CHAOS_DISK_CONTROL: DISK_CONTROL,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(repoRoot(), 'dist', 'chaos', 'sqlite-full.preload.js')}`.trim(),
    },
  },
  async inject({ stack, seconds, progress }) {
    const file = DISK_CONTROL;
    const setDisk = async (state: 'full' | 'free') => {
      rmSync(`${file}.applied`, { force: true });
      writeFileSync(file, state);
      const pid = stack.pids().projector;
      if (!pid) throw new Error('projector is not running');
      process.kill(pid, 'SIGUSR2');
      const applied = await until(`disk ${state}`, () => existsSync(`${file}.applied`) && readFileSync(`${file}.applied`, 'utf8'), 10_000, 50);
      if (!applied.startsWith(state)) throw new Error(`the projector's disk hook answered '${applied}'`);
    };
    await setDisk('full');
    try {
      await sleep(holdMs(seconds, 4_000));
    } finally {
      await setDisk('free');
      rmSync(file, { force: true });
      rmSync(`${file}.applied`, { force: true });
    }
    progress('space freed');
    const endedAt = Date.now();
    return { endedAt };
  },
};

const killStreamLeader: Scenario = {
  name: 'cluster-leader',
  fault: 'kill -9 the event stream leader of a 3-node cluster (R3), restart it later',
  topology: 'cluster',
  async inject({ stack, cluster, progress }) {
    if (!cluster) throw new Error('cluster-leader needs the 3-node cluster');
    const admin = await connectTo(stack.adminUrl);
    let node: number;
    try {
      const info = await (await admin.jetstreamManager()).streams.info(Streams.events.name);
      if (info.config.num_replicas !== 3) throw new Error(`the event stream has ${info.config.num_replicas} replicas`);
      node = Number(/coffer-n(\d+)/.exec(info.cluster?.leader ?? '')?.[1]);
      if (!Number.isInteger(node)) throw new Error(`no stream leader (${JSON.stringify(info.cluster)})`);
    } finally {
      await admin.close();
    }
    await cluster.kill(node);
    progress(`killed node ${node}, the leader of ${Streams.events.name}`);
    // The cluster recovers without it: recovery counts from the kill.
    return { endedAt: Date.now(), afterRecovery: () => cluster.restart(node) };
  },
};

export const SCENARIOS: Scenario[] = [
  ...(['vault', 'projector', 'crypto-worker', 'audit', 'scheduler'] as const).map(killApp),
  stopProjector,
  killNats,
  fullDisk,
  killStreamLeader,
];

export function scenarioNamed(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario '${name}' (expected one of ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return found;
}
