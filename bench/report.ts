import { LoadResult } from './closed-loop';

/** A measured value held against a target. */
export interface Check {
  name: string;
  actual: number;
  comparison: '>=' | '<=';
  limit: number;
  unit: string;
  pass: boolean;
}

export function check(name: string, actual: number, comparison: Check['comparison'], limit: number, unit = ''): Check {
  const pass = comparison === '>=' ? actual >= limit : actual <= limit;
  return { name, actual, comparison, limit, unit, pass };
}

export const MiB = 1024 * 1024;

/** Progress goes to stderr so that `--json` output on stdout stays clean. */
export function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const grouped = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatResults(results: LoadResult[]): string {
  const width = Math.max(28, ...results.map((r) => r.name.length + 2));
  const header = `${'measurement'.padEnd(width)}${'in flight'.padStart(10)}${'ops/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`;
  const rows = results.map(
    (r) =>
      `${r.name.padEnd(width)}${String(r.concurrency).padStart(10)}${grouped(r.opsPerSec).padStart(10)}` +
      `${fixed(r.p50Ms, 2).padStart(9)}${fixed(r.p99Ms, 2).padStart(9)}${String(r.errors).padStart(8)}`,
  );
  const errors = results.filter((r) => r.firstError).map((r) => `  first error in ${r.name} (${r.concurrency}): ${r.firstError}`);
  return [header, ...rows, ...errors].join('\n');
}

export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length)) + 2;
  return checks
    .map((c) => {
      const digits = c.unit === 'MiB' ? 0 : 2;
      const value = `${fixed(c.actual, digits)}${c.unit ? ' ' + c.unit : ''}`;
      const target = `${c.comparison} ${fixed(c.limit, digits)}${c.unit ? ' ' + c.unit : ''}`;
      return `  ${c.name.padEnd(width)}${value.padStart(12)}  ${target.padEnd(14)}${c.pass ? 'PASS' : 'FAIL'}`;
    })
    .join('\n');
}

/** A Coffer figure beside the raw ceiling and the honest one (the raw plus the work the vault cannot skip), all from the same run. */
export interface CeilingRatio {
  result: LoadResult;
  raw: LoadResult;
  honest: LoadResult;
}

export function formatCeilingRatios(rows: CeilingRatio[]): string {
  const width = Math.max(...rows.map((r) => `${r.result.name} (${r.result.concurrency})`.length)) + 2;
  const ceilingWidth = Math.max(...rows.flatMap((r) => [r.raw.name.length, r.honest.name.length])) + 2;
  const header = `  ${'measurement'.padEnd(width)}${'ops/s'.padStart(8)}  ${'raw ceiling'.padEnd(ceilingWidth)}${'ratio'.padStart(6)}  ${'honest ceiling'.padEnd(ceilingWidth)}${'ratio'.padStart(6)}`;
  return [
    header,
    ...rows.map(({ result, raw, honest }) =>
      `  ${`${result.name} (${result.concurrency})`.padEnd(width)}${grouped(result.opsPerSec).padStart(8)}  ` +
      `${raw.name.padEnd(ceilingWidth)}${fixed(result.opsPerSec / raw.opsPerSec, 2).padStart(6)}  ` +
      `${honest.name.padEnd(ceilingWidth)}${fixed(result.opsPerSec / honest.opsPerSec, 2).padStart(6)}`,
    ),
  ].join('\n');
}
