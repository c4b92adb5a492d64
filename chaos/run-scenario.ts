import { CofferClient } from '@coffer/client';
import { NATS_USERS, natsClientOptions } from '@coffer/config';
import { CofferStack, SpawnedCluster, startCofferStack, startNatsCluster, until } from '@coffer/testing';
import { connect } from 'nats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWorkload, CheckResult } from './checker';
import { CHAOS_DEDUPE_WINDOW_MS, CHAOS_PROJECTION_WAIT_MS, Scenario } from './scenarios';
import { DEFAULT_WORKLOAD, Workload, WorkloadShape } from './workload';

export interface ScenarioResult extends Partial<CheckResult> {
  scenario: string;
  fault: string;
  seconds: number;
  /** From the end of the fault to the first acknowledged write sent after it; undefined: none within the limit. */
  recoverySeconds?: number;
  retries: number;
  conflicts: number;
  unresolved: number;
  errors: Record<string, number>;
  /** Set when the scenario itself could not run (the stack did not start, a fault could not be injected). */
  failure?: string;
  /** True when nothing in the result is a violation. */
  passed: boolean;
}

/** The Coffer a scenario runs against: its processes, and a client for the workload and the checker. */
export interface ChaosTarget {
  stack: CofferStack;
  cluster?: SpawnedCluster;
  client: CofferClient;
  stop(): Promise<void>;
}

/** The environment every chaos stack runs with. */
export const CHAOS_ENV: Record<string, string> = {
  COFFER_DEDUPE_WINDOW_MS: String(CHAOS_DEDUPE_WINDOW_MS),
  COFFER_PROJECTION_WAIT_MS: String(CHAOS_PROJECTION_WAIT_MS),
};

/** Starts a Coffer of real processes (dist/) for `scenario`: one nats-server, or a 3-node cluster with R3 streams. */
export async function startChaosTarget(scenario: Pick<Scenario, 'topology' | 'env' | 'appEnv'>): Promise<ChaosTarget> {
  const cluster = scenario.topology === 'cluster' ? await startNatsCluster(3, { auth: true }) : undefined;
  let stack: CofferStack | undefined;
  try {
    const env = { ...CHAOS_ENV, ...(cluster && { COFFER_STREAM_REPLICAS: '3' }), ...scenario.env };
    stack = await startCofferStack({ env, nats: cluster, appEnv: scenario.appEnv });
    const credentials = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8'));
    // Reconnect forever: a client that gives up during a nats-server restart would only measure itself.
    const nc = await connect({ ...natsClientOptions(stack.clientUrl), name: 'coffer-chaos', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const client = new CofferClient(nc, { credentials, timeoutMs: DEFAULT_WORKLOAD.timeoutMs });
    const started = stack;
    return {
      stack, cluster, client,
      async stop() {
        await nc.close().catch(() => undefined);
        await started.stop();
        await cluster?.stop();
      },
    };
  } catch (err) {
    await stack?.stop().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    throw err;
  }
}

/**
 * One scenario: the workload writes, the fault is injected after a warm-up, the run goes on until
 * `seconds` have passed (and writes succeed again), the writers settle, then the checker runs.
 */
export async function runScenario(
  scenario: Scenario,
  target: ChaosTarget,
  opts: { seconds: number; shape?: Partial<WorkloadShape>; progress: (line: string) => void },
): Promise<ScenarioResult> {
  const say = (line: string) => opts.progress(`[${scenario.name}] ${line}`);
  const workload = new Workload(target.client, vaultFor(scenario.name), { ...DEFAULT_WORKLOAD, ...opts.shape });
  const started = Date.now();
  const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
  let recoverySeconds: number | undefined;
  let failure: string | undefined;
  const ticker = setInterval(() => say(`${elapsed()} s: ${workload.acknowledged.length} acknowledged, ${workload.retries} retried, ${workload.conflicts} conflicts`), 2_000);
  try {
    await workload.start();
    await until('warm-up writes', () => Date.now() - started >= Math.max(1_500, opts.seconds * 250) && workload.acknowledged.length >= 16, 60_000, 50);
    say(`${elapsed()} s: injecting: ${scenario.fault}`);
    const fault = await scenario.inject({ stack: target.stack, cluster: target.cluster, workload, seconds: opts.seconds, progress: say });
    const recovered = await until('a write acknowledged after the fault', () => workload.firstAckSentAfter(fault.endedAt), 120_000, 50).catch(() => undefined);
    if (recovered) {
      recoverySeconds = (recovered.ackedAt - fault.endedAt) / 1000;
      say(`${elapsed()} s: writes succeed again ${recoverySeconds.toFixed(2)} s after the fault ended`);
    } else {
      say(`${elapsed()} s: no write succeeded within 120 s of the fault's end`);
    }
    await fault.afterRecovery?.();
    const recoveredAt = recovered?.ackedAt ?? Date.now();
    await until('the rest of the run', () => Date.now() - started >= opts.seconds * 1000 && Date.now() - recoveredAt >= 1_000, opts.seconds * 1000 + 5_000, 50);
  } catch (err) {
    failure = (err as Error).message;
    say(`failed: ${failure}`);
  } finally {
    clearInterval(ticker);
  }
  say(`${elapsed()} s: stopping the writers (in-flight writes settle)`);
  await workload.stop();
  const stats = { retries: workload.retries, conflicts: workload.conflicts, unresolved: workload.unresolved, errors: workload.errors };
  let check: CheckResult | undefined;
  try {
    check = await checkWorkload(
      { client: target.client, dbUrl: target.stack.dbUrl, projectorNatsUrl: target.stack.nats.userUrl(NATS_USERS.projector) },
      workload,
      say,
    );
  } catch (err) {
    failure = failure ?? `check failed: ${(err as Error).message}`;
  }
  const passed = !failure && recoverySeconds !== undefined && !!check
    && check.lost === 0 && check.duplicated === 0 && check.casViolations === 0 && check.rebuildEqualsLive && check.auditClean;
  return { scenario: scenario.name, fault: scenario.fault, seconds: opts.seconds, recoverySeconds, ...stats, ...check, failure, passed };
}

/** Each scenario writes into its own vault (a name of at most 24 characters). */
export const vaultFor = (scenario: string) => `c-${scenario}`.slice(0, 24);
