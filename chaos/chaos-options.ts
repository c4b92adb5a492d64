import { SCENARIOS, scenarioNamed } from './scenarios';

/** Command-line options of `npm run chaos`. */
export interface ChaosOptions {
  /** Scenarios to run, in order (`--scenario NAME`, repeatable; default all). */
  scenarios: string[];
  /** Seconds of workload per scenario, fault included (`--seconds N`, default 30). */
  seconds: number;
  /** Print the results as JSON on stdout (progress still goes to stderr). */
  json: boolean;
}

export function parseChaosOptions(args: string[]): ChaosOptions {
  const opts: ChaosOptions = { scenarios: [], seconds: 30, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--scenario') {
      const name = args[++i];
      if (!name) throw new Error('--scenario needs a name');
      opts.scenarios.push(scenarioNamed(name).name);
    } else if (arg === '--seconds') {
      const n = Number(args[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--seconds needs a number of seconds above 0 (got '${args[i] ?? ''}')`);
      opts.seconds = n;
    } else if (arg === '--json') opts.json = true;
    else throw new Error(`unknown option '${arg}' (expected --scenario NAME, --seconds N, --json)`);
  }
  if (opts.scenarios.length === 0) opts.scenarios = SCENARIOS.map((s) => s.name);
  return opts;
}
