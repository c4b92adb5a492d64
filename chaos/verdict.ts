import { AckedWrite, casCounter } from './workload';

/** One version of a secret as read back: its id, value and object sequence. */
export interface ReadVersion {
  version: string;
  value: string;
  sequence: number;
}

export interface Verdict {
  /** Acknowledged writes not readable with their value. */
  lost: number;
  /** Versions that repeat a value already written to the same secret (one request applied twice). */
  duplicated: number;
  /** Check-and-set counters that are not 0, 1, 2, … in version order (a lost update repeats one). */
  casViolations: number;
  problems: string[];
}

/**
 * What the clients were told against what the system holds. `history`: every version of every
 * secret, oldest first. Every value the workload writes is unique to its request, so a value seen
 * twice on a secret is a request applied twice.
 */
export function judge(acknowledged: readonly AckedWrite[], history: ReadonlyMap<string, readonly ReadVersion[]>, casSecrets: readonly string[], maxProblems = 10): Verdict {
  const problems: string[] = [];
  const problem = (p: string) => problems.length < maxProblems && problems.push(p);

  let lost = 0;
  for (const a of acknowledged) {
    const found = history.get(a.secret)?.find((v) => v.version === a.version);
    if (found?.value !== a.value) {
      lost++;
      problem(`acknowledged ${a.secret} version ${a.version} = '${a.value}' (request ${a.requestId}) reads back as ${found ? `'${found.value}'` : 'missing'}`);
    }
  }

  let duplicated = 0;
  for (const [name, versions] of history) {
    const seen = new Set<string>();
    for (const v of versions) {
      if (seen.has(v.value)) {
        duplicated++;
        problem(`${name}: value '${v.value}' written again as version ${v.version}`);
      }
      seen.add(v.value);
    }
  }

  let casViolations = 0;
  for (const name of casSecrets) {
    (history.get(name) ?? []).forEach((v, i) => {
      const counter = casCounter(v.value);
      if (counter !== i) {
        casViolations++;
        problem(`${name}: version ${i} holds counter ${counter} (expected ${i})`);
      }
    });
  }
  return { lost, duplicated, casViolations, problems };
}
