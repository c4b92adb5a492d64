/**
 * Fault injection: `npm run chaos -- [--scenario NAME]... [--seconds N] [--json]`. Each scenario
 * starts its own Coffer (real processes from dist/), runs the 16-writer workload, injects one fault,
 * checks what was acknowledged against what the system says, and stops it again. Exits non-zero
 * on any violation.
 */
import { parseChaosOptions } from './chaos-options';
import { formatTable, progress } from './report';
import { runScenario, ScenarioResult, startChaosTarget } from './run-scenario';
import { scenarioNamed } from './scenarios';

async function main(): Promise<number> {
  const opts = parseChaosOptions(process.argv.slice(2));
  const results: ScenarioResult[] = [];
  for (const name of opts.scenarios) {
    const scenario = scenarioNamed(name);
    progress(`[${name}] starting a Coffer (${scenario.topology === 'cluster' ? '3-node nats-server cluster, R3 streams' : 'one nats-server'})`);
    let result: ScenarioResult;
    try {
      const target = await startChaosTarget(scenario);
      try {
        result = await runScenario(scenario, target, { seconds: opts.seconds, progress });
      } finally {
        await target.stop();
      }
    } catch (err) {
      result = { scenario: name, fault: scenario.fault, seconds: opts.seconds, retries: 0, conflicts: 0, unresolved: 0, errors: {}, failure: (err as Error).message, passed: false };
    }
    progress(`[${name}] ${result.passed ? 'passed' : 'FAILED'}`);
    results.push(result);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatTable(results)}\n`);
  return results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`chaos: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(2);
  },
);
