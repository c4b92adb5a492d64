/** Command-line options every benchmark takes. */
export interface BenchOptions {
  /** Measured seconds per measurement (`--seconds N`, default 5). */
  seconds: number;
  /** Unmeasured seconds before each (`--warmup N`, default 1). */
  warmupSeconds: number;
  /** Print the results as JSON on stdout (progress still goes to stderr). */
  json: boolean;
  /** Exit non-zero when a target is missed (`--strict`); otherwise targets are only reported. */
  strict: boolean;
  /** How many objects a scale benchmark builds (`--objects N`; its own default when absent). */
  objects?: number;
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const opts: BenchOptions = { seconds: 5, warmupSeconds: 1, json: false, strict: false };
  const number = (flag: string, raw: string | undefined): number => {
    const n = Number(raw);
    if (!raw || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number (got '${raw ?? ''}')`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--seconds') opts.seconds = number(arg, args[++i]);
    else if (arg === '--warmup') opts.warmupSeconds = number(arg, args[++i]);
    else if (arg === '--json') opts.json = true;
    else if (arg === '--strict') opts.strict = true;
    else if (arg === '--objects') opts.objects = Math.floor(number(arg, args[++i]));
    else throw new Error(`unknown option '${arg}' (expected --seconds N, --warmup N, --objects N, --json, --strict)`);
  }
  if (opts.seconds <= 0) throw new Error('--seconds must be more than 0');
  if (opts.objects !== undefined && opts.objects < 1) throw new Error('--objects must be at least 1');
  return opts;
}
