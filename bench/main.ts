/**
 * Benchmarks: `npm run bench -- <name> [--seconds N] [--warmup N] [--objects N] [--json] [--strict]`.
 * Each starts what it measures itself (nats-server, or a whole Coffer stack) and stops it again.
 */
import { runAuditFeedBench } from './audit-feed.bench';
import { runAuditVerifyBench } from './audit-verify.bench';
import { BenchOptions, parseBenchOptions } from './bench-options';
import { runCeilingsBench } from './ceilings.bench';
import { runEventsBench } from './events.bench';
import { runHttpBench } from './http.bench';
import { runCertsBench } from './certs.bench';
import { runCliBench } from './cli.bench';
import { runKeysBench } from './keys.bench';
import { runMetricsCostBench } from './metrics-cost.bench';
import { runScaleBench } from './scale.bench';
import { runSecretsBench } from './secrets.bench';

const BENCHMARKS: Record<string, (opts: BenchOptions) => Promise<boolean>> = {
  secrets: runSecretsBench,
  ceilings: runCeilingsBench,
  events: runEventsBench,
  keys: runKeysBench,
  certs: runCertsBench,
  'audit-verify': runAuditVerifyBench,
  'audit-feed': runAuditFeedBench,
  http: runHttpBench,
  scale: runScaleBench,
  cli: runCliBench,
  'metrics-cost': runMetricsCostBench,
};

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  const run = name ? BENCHMARKS[name] : undefined;
  if (!run) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [--seconds N] [--warmup N] [--objects N] [--json] [--strict]\n`);
    return 2;
  }
  const opts = parseBenchOptions(rest);
  const passed = await run(opts);
  return passed || !opts.strict ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
