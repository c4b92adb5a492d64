import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CofferClient } from '@coffer/client';
import { repoRoot } from '@coffer/config';
import { startCofferStack } from '@coffer/testing';
import { tokenCachePath, writeTokenCache } from '../apps/cli/src/credential-sources';
import { BenchOptions } from './bench-options';
import { Check, check, formatChecks, progress } from './report';
import { percentile } from './stats';

/** Issue 14 item 6: `coffer secret show` with a cached login token, wall time. */
export const CLI_TARGETS = { secretShowSeconds: 0.3 } as const;

const VAULT = 'bench-cli';
const SECRET = 'bench-cli-secret';

interface WallTimes {
  name: string;
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
}

/**
 * `bench cli`: wall time of `coffer secret show` (bin/coffer, a new process each time, the token
 * `coffer login` caches) beside `node -e 0` (what any Node process costs here), runs interleaved so
 * both see the same load. Runs: `--seconds` × 4 of each (at least 10). COFFER_BENCH_CLI_BASELINE=<another
 * checkout's bin/coffer> adds that build's secret show to the same interleaved runs (before/after).
 */
export async function runCliBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack');
  const stack = await startCofferStack();
  const config = mkdtempSync(join(tmpdir(), 'coffer-bench-cli-'));
  try {
    const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
    const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-cli', credentials: admin });
    const env = { ...process.env, COFFER_HOME: stack.home, XDG_CONFIG_HOME: config };
    try {
      await client.vaults.create(VAULT);
      await client.secrets(VAULT).set(SECRET, 'bench value');
      // What `coffer login` leaves behind.
      const token = await client.auth.requestToken(admin);
      writeTokenCache(tokenCachePath(env), {
        natsUrl: stack.natsUrl, accessToken: token.accessToken, tokenType: 'Bearer', expiresOn: token.expiresOn, clientId: admin.clientId, created: new Date().toISOString(),
      });
    } finally {
      await client.close();
    }
    const coffer = [join(repoRoot(), 'bin', 'coffer'), '--nats-url', stack.natsUrl, 'secret', 'show', '--vault', VAULT, '-n', SECRET, '--field', 'value'];
    const baselineBin = process.env.COFFER_BENCH_CLI_BASELINE;
    const baseline = baselineBin ? [baselineBin, ...coffer.slice(1)] : undefined;
    const runs = Math.max(10, Math.round(opts.seconds * 4));
    const warmups = Math.max(1, Math.round(opts.warmupSeconds));
    const times = { node: [] as number[], coffer: [] as number[], baseline: [] as number[] };
    const once = (args: string[], expect?: string) => {
      const began = performance.now();
      const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
      const ms = performance.now() - began;
      if (r.status !== 0 || (expect !== undefined && r.stdout.trim() !== expect)) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
      return ms;
    };
    progress(`${runs} runs each of node -e 0 and coffer secret show, interleaved (after ${warmups} unmeasured)`);
    for (let i = 0; i < warmups; i++) {
      once(['-e', '0']);
      once(coffer, 'bench value');
      if (baseline) once(baseline, 'bench value');
    }
    for (let i = 0; i < runs; i++) {
      times.node.push(once(['-e', '0']));
      times.coffer.push(once(coffer, 'bench value'));
      if (baseline) times.baseline.push(once(baseline, 'bench value'));
    }
    const summary = (name: string, ms: number[]): WallTimes => {
      const sorted = Float64Array.from(ms).sort();
      return { name, runs: ms.length, medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90), minMs: sorted[0] };
    };
    const node = summary('node -e 0', times.node);
    const show = summary('coffer secret show (cached token)', times.coffer);
    const rows = baseline ? [node, show, summary('  the same, baseline build', times.baseline)] : [node, show];
    const checks: Check[] = [check('secret show median wall', show.medianMs / 1000, '<=', CLI_TARGETS.secretShowSeconds, 's')];
    const passed = checks.every((c) => c.pass);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ benchmark: 'cli', options: opts, results: rows, checks, passed }, null, 2)}\n`);
    } else {
      const row = (w: WallTimes) =>
        `${w.name.padEnd(36)}${String(w.runs).padStart(6)}${w.medianMs.toFixed(0).padStart(10)}${w.p90Ms.toFixed(0).padStart(9)}${w.minMs.toFixed(0).padStart(9)}`;
      process.stdout.write(
        [
          '',
          'coffer bench cli (wall time of a new process, interleaved runs)',
          `${'command'.padEnd(36)}${'runs'.padStart(6)}${'median ms'.padStart(10)}${'p90 ms'.padStart(9)}${'min ms'.padStart(9)}`,
          ...rows.map(row),
          `  secret show − node -e 0 (median): ${(show.medianMs - node.medianMs).toFixed(0)} ms`,
          '',
          'targets',
          formatChecks(checks),
          '',
          `cli bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
          '',
        ].join('\n'),
      );
    }
    return passed;
  } finally {
    rmSync(config, { recursive: true, force: true });
    await stack.stop();
  }
}
