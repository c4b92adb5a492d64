import { ScenarioResult } from './run-scenario';

/** Progress goes to stderr so that `--json` output on stdout stays clean. */
export function progress(line: string): void {
  process.stderr.write(`chaos: ${line}\n`);
}

const count = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
const yesNo = (b: boolean | undefined) => (b === undefined ? '-' : b ? 'yes' : '**no**');
const flagged = (n: number | undefined) => (n ? `**${count(n)}**` : count(n));

/** The results as the Markdown table the README's Durability section shows. */
export function formatTable(results: ScenarioResult[]): string {
  const rows = [
    '| scenario | acknowledged | lost | duplicated | CAS violations | rebuild = live | audit clean | recovery s |',
    '|---|---:|---:|---:|---:|:---:|:---:|---:|',
    ...results.map((r) => `| ${r.scenario} | ${count(r.acknowledged)} | ${flagged(r.lost)} | ${flagged(r.duplicated)} | ${flagged(r.casViolations)} `
      + `| ${yesNo(r.rebuildEqualsLive)} | ${yesNo(r.auditClean)} | ${r.recoverySeconds === undefined ? '**none**' : r.recoverySeconds.toFixed(1)} |`),
  ];
  const notes = results.flatMap((r) => [
    ...(r.failure ? [`- ${r.scenario}: ${r.failure}`] : []),
    ...(r.problems ?? []).map((p) => `- ${r.scenario}: ${p}`),
  ]);
  return [...rows, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
