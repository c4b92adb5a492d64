import { CofferClient } from '@coffer/client';
import { DAY_MS } from '@coffer/domain';
import { LifecycleQueries } from '@coffer/read-model';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ActionOutcome, outcomeOfError } from './action-outcome';
import { DueAction, LifecycleRule, ScanContext } from './lifecycle-rule';
import { scheduledRequestId } from './request-id';
import { schedulerActions } from './scheduler-metrics';

export interface ScanSettings {
  nearExpiryDays: number;
  nearExpiryDaysByVault: Record<string, number>;
  concurrency: number;
  pageSize?: number;
}

export interface ScanStats {
  objects: number;
  actions: number;
  done: number;
  settled: number;
  notYet: number;
  failures: number;
  ms: number;
}

/** Sends one action; the default sends it through the SDK. The benchmark swaps in a recorder. */
export type ActionSender = (action: DueAction, requestId: string) => Promise<unknown>;

/**
 * One pass over the read model: every rule lists what is due, and each due action is sent as an
 * ordinary command with its deterministic request id, a few at a time. Reads only; decides
 * nothing the vault does not decide again.
 */
export class Scanner {
  constructor(
    private readonly queries: LifecycleQueries,
    private readonly rules: LifecycleRule[],
    private readonly settings: ScanSettings,
    private readonly send: ActionSender,
    private readonly logger?: Logger,
  ) {}

  static sendingWith(client: CofferClient): ActionSender {
    return (action, requestId) => action.send(client, requestId);
  }

  async scan(now: number, stillLeader: () => boolean = () => true): Promise<ScanStats> {
    const began = performance.now();
    const stats: ScanStats = { objects: 0, actions: 0, done: 0, settled: 0, notYet: 0, failures: 0, ms: 0 };
    const windows = this.settings.nearExpiryDaysByVault;
    const ctx: ScanContext = {
      now,
      queries: this.queries,
      nearExpiryWindowMs: (vault) => (windows[vault] ?? this.settings.nearExpiryDays) * DAY_MS,
      maxNearExpiryWindowMs: Math.max(this.settings.nearExpiryDays, ...Object.values(windows)) * DAY_MS,
      pageSize: this.settings.pageSize ?? 1000,
      examined: (n) => (stats.objects += n),
    };
    const inFlight = new Set<Promise<void>>();
    for (const rule of this.rules) {
      for await (const action of rule.due(ctx)) {
        // A replica that lost its lease stops sending (another one now acts).
        if (!stillLeader()) return { ...stats, ms: performance.now() - began };
        stats.actions++;
        const running = this.execute(rule.name, action).then((outcome) => {
          count(stats, outcome);
          schedulerActions.labels(rule.name, action.action, outcome).inc();
        });
        inFlight.add(running);
        void running.finally(() => inFlight.delete(running));
        if (inFlight.size >= this.settings.concurrency) await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
    return { ...stats, ms: performance.now() - began };
  }

  private async execute(rule: string, action: DueAction): Promise<ActionOutcome> {
    const requestId = scheduledRequestId(action);
    const what = { rule, object: action.object, version: action.version || undefined, action: action.action, due: new Date(action.due).toISOString(), requestId };
    try {
      await this.send(action, requestId);
      this.logger?.info(what, 'lifecycle action applied');
      return 'done';
    } catch (err) {
      const outcome = outcomeOfError(err);
      const detail = { ...what, error: (err as { code?: string }).code, inner: (err as { innerCode?: string }).innerCode };
      if (outcome === 'failed') this.logger?.warn({ ...detail, message: (err as Error).message }, 'lifecycle action failed; retried next scan');
      else this.logger?.debug(detail, `lifecycle action ${outcome}`);
      return outcome;
    }
  }
}

function count(stats: ScanStats, outcome: ActionOutcome): void {
  if (outcome === 'done') stats.done++;
  else if (outcome === 'settled') stats.settled++;
  else if (outcome === 'not-yet') stats.notYet++;
  else stats.failures++;
}
