import { CofferClient } from '@coffer/client';
import { CofferConfig, natsConnectOptions } from '@coffer/config';
import { SchedulerStatusReply, SchedulerSubjects } from '@coffer/contracts';
import { LifecycleQueries, openReadModel } from '@coffer/read-model';
import { randomUUID } from 'node:crypto';
import { natsProbe, readinessOf, sqlProbe } from '@coffer/observability';
import { ReplyGuard } from '@coffer/transport';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { LeaderLease } from './leader-lease';
import { LifecycleRule } from './lifecycle-rule';
import { defaultRules } from './rules';
import { Scanner } from './scanner';
import { openSchedulerClock } from './scheduler-clock';
import { waitForCredentials } from './scheduler-credentials';
import { createSchedulerLogger } from './scheduler.logger';
import { SchedulerService, SchedulerState } from './scheduler.service';

export interface RunningScheduler {
  replicaId: string;
  state: SchedulerState;
  /** One scan now, if this replica leads. */
  scanNow: SchedulerService['scanNow'];
  stop(): Promise<void>;
}

export interface StartSchedulerOptions {
  rules?: LifecycleRule[];
  /** How long to wait for the credentials file (default 60 s). */
  credentialsTimeoutMs?: number;
}

const jc = JSONCodec();

/**
 * Starts one scheduler replica: its own NATS connection (lease, dev clock, and the SDK client it
 * sends commands with, as the `scheduler` principal), the read model (read only), the status
 * responder, then the lease and scan loops.
 */
export async function startScheduler(config: CofferConfig, opts: StartSchedulerOptions = {}): Promise<RunningScheduler> {
  const logger = createSchedulerLogger(config.logLevel);
  const replicaId = `scheduler-${randomUUID().slice(0, 8)}`;
  const nc = await connect(natsConnectOptions(config, 'coffer-scheduler'));
  let stopping = false;
  const cleanup: (() => Promise<unknown> | unknown)[] = [() => nc.drain().catch(() => undefined)];
  try {
    const ds = await openReadModel(config.dbUrl, { migrate: false });
    cleanup.unshift(() => ds.destroy().catch(() => undefined));
    const readiness = readinessOf('scheduler');
    cleanup.unshift(readiness.add('nats', natsProbe(nc)), readiness.add('database', sqlProbe(ds)));
    const clock = await openSchedulerClock(nc, config);
    cleanup.unshift(() => clock.stop());
    // Rotation hooks go over their own connection when configured: its NATS user may publish to coffer.hooks.> only.
    let hooks: NatsConnection | undefined;
    if (config.natsHooks) {
      const hookConnection = await connect(natsConnectOptions({ natsUrl: config.natsUrl, nats: config.natsHooks }, 'coffer-scheduler-hooks'));
      hooks = hookConnection;
      cleanup.unshift(() => hookConnection.drain().catch(() => undefined));
    }
    const credentials = await waitForCredentials(config.scheduler.credentialsFile, opts.credentialsTimeoutMs ?? 60_000, () => stopping);
    const client = new CofferClient(nc, { credentials, timeoutMs: 30_000 });
    const lease = await LeaderLease.open(nc, replicaId, config.scheduler.leaseTtlMs, config.streamReplicas);
    const scanner = new Scanner(new LifecycleQueries(ds), opts.rules ?? defaultRules(hooks, logger), config.scheduler, Scanner.sendingWith(client), logger);
    const service = new SchedulerService(lease, scanner, clock, config.scheduler.scanIntervalMs, logger);

    const replyGuard = new ReplyGuard('scheduler', { warn: (message: string) => logger.warn(message) });
    const status = nc.subscribe(SchedulerSubjects.status, {
      callback: (_err, msg) => {
        // Answer callers' inboxes only (a reply subject is caller input); dropped ones are counted and logged, rate-limited.
        if (!msg.reply || !replyGuard.allows(msg.subject, msg.reply)) return;
        const { leader, lastScanAt, lastScan, scans } = service.state;
        const reply: SchedulerStatusReply = { ok: true, replicaId, leader, scans, ...(lastScanAt && { lastScanAt }), ...(lastScan && { lastScan }) };
        msg.respond(jc.encode(reply));
      },
    });
    cleanup.unshift(() => status.unsubscribe());
    await service.start();
    cleanup.unshift(() => service.stop());
    logger.info({ replicaId, devMode: config.devMode, scanIntervalMs: config.scheduler.scanIntervalMs, leaseTtlMs: config.scheduler.leaseTtlMs }, 'scheduler started');
    return {
      replicaId,
      state: service.state,
      scanNow: () => service.scanNow(),
      async stop() {
        stopping = true;
        for (const step of cleanup) await step();
      },
    };
  } catch (err) {
    stopping = true;
    for (const step of cleanup) await step();
    throw err;
  }
}
