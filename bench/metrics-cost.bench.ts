import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CofferStack, startCofferStack } from '@coffer/testing';
import { BenchOptions } from './bench-options';
import { LoadResult, runClosedLoop } from './closed-loop';
import { check, formatChecks, progress } from './report';

/** Issue 15: metrics may cost at most 3 % of secrets-get throughput. */
export const METRICS_COST_TARGET = { getLossPercent: 3 } as const;
const ROUNDS = 7;
const IN_FLIGHT = 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `bench metrics-cost`: two whole stacks side by side, one with metrics (the default) and one with
 * COFFER_METRICS=0, and secrets get at 64 in flight against each in turn (on, off, on, off …, so
 * the shared machine's drift falls on both). The loss is 1 − the median of the rounds' on/off ratios.
 * COFFER_METRICS=0 turns off the per-request instruments (the transport's request counter and
 * histogram) and /metrics; per-group and per-batch ones (audit groups, projector batches) stay.
 */
export async function runMetricsCostBench(opts: BenchOptions): Promise<boolean> {
  progress('starting two Coffer stacks: metrics on, metrics off (COFFER_METRICS=0)');
  const stacks: CofferStack[] = [];
  const clients: CofferClient[] = [];
  try {
    for (const metrics of ['1', '0']) stacks.push(await startCofferStack({ env: { COFFER_METRICS: metrics } }));
    const value = randomBytes(48).toString('base64');
    const gets: (() => Promise<unknown>)[] = [];
    for (const stack of stacks) {
      const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
      const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench', credentials: admin });
      clients.push(client);
      await client.vaults.create('bench');
      const secrets = client.secrets('bench');
      await secrets.set('bench-read', value);
      gets.push(() => secrets.get('bench-read'));
    }
    const runs: { on: LoadResult[]; off: LoadResult[]; load: number[] } = { on: [], off: [], load: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [side, get] of [['on', gets[0]], ['off', gets[1]]] as const) {
        progress(`round ${round}/${ROUNDS}: secrets get, metrics ${side}, ${IN_FLIGHT} in flight (load ${loadavg()[0].toFixed(1)})`);
        runs.load.push(loadavg()[0]);
        runs[side].push(await runClosedLoop(`get, metrics ${side}`, get, { concurrency: IN_FLIGHT, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds }));
      }
    }
    const on = median(runs.on.map((r) => r.opsPerSec));
    const off = median(runs.off.map((r) => r.opsPerSec));
    // Each round's pair ran back to back, under about the same load: their ratio is what drift disturbs least.
    const pairRatio = median(runs.on.map((r, i) => r.opsPerSec / runs.off[i].opsPerSec));
    const lossPercent = (1 - pairRatio) * 100;
    const checks = [check('get loss with metrics', lossPercent, '<=', METRICS_COST_TARGET.getLossPercent, '%')];
    const passed = checks.every((c) => c.pass);
    const summary = {
      benchmark: 'metrics-cost', options: opts, rounds: ROUNDS,
      onOpsPerSec: runs.on.map((r) => Math.round(r.opsPerSec)), offOpsPerSec: runs.off.map((r) => Math.round(r.opsPerSec)),
      medianOn: on, medianOff: off, ratioOfMedians: on / off, medianPairRatio: pairRatio, lossPercent,
      p99Ms: { on: median(runs.on.map((r) => r.p99Ms)), off: median(runs.off.map((r) => r.p99Ms)) },
      loadAverage: { min: Math.min(...runs.load), max: Math.max(...runs.load) }, checks, passed,
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write([
        '',
        `coffer bench metrics-cost (secrets get, ${IN_FLIGHT} in flight, ${ROUNDS} interleaved rounds of ${opts.seconds} s after ${opts.warmupSeconds} s warm-up)`,
        `  metrics on : ${summary.onOpsPerSec.join(', ')} ops/s; median ${Math.round(on)}, p99 ${summary.p99Ms.on.toFixed(1)} ms`,
        `  metrics off: ${summary.offOpsPerSec.join(', ')} ops/s; median ${Math.round(off)}, p99 ${summary.p99Ms.off.toFixed(1)} ms`,
        `  on / off: median of the rounds' ratios ${pairRatio.toFixed(3)}, ratio of medians ${(on / off).toFixed(3)}; load average ${summary.loadAverage.min.toFixed(1)}–${summary.loadAverage.max.toFixed(1)}`,
        formatChecks(checks),
        '',
      ].join('\n'));
    }
    return passed;
  } finally {
    for (const client of clients) await client.close().catch(() => undefined);
    for (const stack of stacks) await stack.stop().catch(() => undefined);
  }
}
