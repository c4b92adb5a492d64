import { CofferClient, CofferRequestError } from '@coffer/client';
import { dumpReadModel, until } from '@coffer/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { rebuildReadModel } from '../apps/projector/src/rebuild.command';
import { judge, ReadVersion } from './verdict';
import { Workload } from './workload';

export interface CheckResult {
  acknowledged: number;
  /** Acknowledged writes not readable with their value. */
  lost: number;
  /** Versions beyond the first that carry the same value (one request applied more than once). */
  duplicated: number;
  /** Check-and-set counters that are not 0, 1, 2, … in version order (a lost update repeats one). */
  casViolations: number;
  /** Whether the projection caught up (lag 0) before the checks; the checks run regardless. */
  caughtUp: boolean;
  rebuildEqualsLive: boolean;
  auditClean: boolean;
  /** Versions found in all, and what went wrong first (for a human reading the report). */
  versions: number;
  problems: string[];
}

export interface CheckTarget {
  client: CofferClient;
  /** The live read model, and where the projector's NATS user connects (for the rebuild). */
  dbUrl: string;
  projectorNatsUrl: string;
}

const MAX_PROBLEMS = 10;

/**
 * What the workload was told, held against what the system now says: every acknowledged write
 * readable with its value, no request applied twice, check-and-set counters consecutive, a rebuild
 * from the log equal to the live read model, and a clean audit chain.
 */
export async function checkWorkload(target: CheckTarget, workload: Workload, progress: (line: string) => void): Promise<CheckResult> {
  const { client } = target;
  const problems: string[] = [];
  const problem = (p: string) => problems.length < MAX_PROBLEMS && problems.push(p);

  progress('waiting for the projection and the audit trail to catch up');
  const caughtUp = await until('projection caught up', async () => {
    const s = await client.status({ timeoutMs: 5_000 }).catch(() => undefined);
    return s?.projector.ok === true && s.projector.lag === 0 && (s.audit.lag ?? 0) === 0;
  }, 120_000, 250).then(() => true, () => false);
  if (!caughtUp) problem('the projection or the audit trail did not catch up within 120 s');

  progress('reading every version of every secret the workload wrote');
  const secrets = workload.secrets();
  const history = new Map<string, ReadVersion[]>();
  await inParallel([...secrets.distinct, ...secrets.cas], 8, async (name) => history.set(name, await versionsOf(client, workload.vault, name)));
  const versions = [...history.values()].reduce((n, h) => n + h.length, 0);

  const verdict = judge(workload.acknowledged, history, secrets.cas, MAX_PROBLEMS);
  problems.push(...verdict.problems);

  progress('rebuilding the read model from the log into a fresh database');
  const differing = await compareRebuild(target).catch((err) => {
    problem(`rebuild failed: ${(err as Error).message}`);
    return ['(rebuild failed)'];
  });
  const rebuildEqualsLive = differing.length === 0;
  if (!rebuildEqualsLive) problem(`rebuild differs from the live read model in: ${differing.join(', ')}`);

  progress('verifying the audit chain');
  const audit = await client.audit.verify({ timeoutMs: 60_000 }).catch((err) => {
    problem(`audit verify failed: ${(err as Error).message}`);
    return undefined;
  });
  const auditClean = audit?.ok === true && audit.problems.length === 0;
  if (audit && !auditClean) problem(`audit verify: ${JSON.stringify(audit.problems.slice(0, 3))}`);

  return { acknowledged: workload.acknowledged.length, lost: verdict.lost, duplicated: verdict.duplicated, casViolations: verdict.casViolations, caughtUp, rebuildEqualsLive, auditClean, versions, problems };
}

/** Every version of a secret with its value, in the order they were written (by object sequence). */
async function versionsOf(client: CofferClient, vault: string, name: string): Promise<ReadVersion[]> {
  const secrets = client.secrets(vault);
  const ids: string[] = [];
  try {
    for await (const item of secrets.listVersions(name, { timeoutMs: 30_000 })) ids.push(item.version!);
  } catch (err) {
    if (err instanceof CofferRequestError && err.code === 'SecretNotFound') return [];
    throw err;
  }
  const out: ReadVersion[] = [];
  await inParallel(ids, 4, async (version) => {
    const b = await secrets.get(name, version, { timeoutMs: 30_000, retries: 2 });
    out.push({ version, value: b.value, sequence: b.sequence });
  });
  return out.sort((a, b) => a.sequence - b.sequence);
}

/** Rebuilds from sequence 1 into a fresh SQLite file; the tables that differ from the live read model. */
async function compareRebuild(target: CheckTarget): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-chaos-rebuild-'));
  try {
    const rebuiltUrl = `sqlite:${join(dir, 'rebuilt.sqlite')}`;
    await rebuildReadModel({ natsUrl: target.projectorNatsUrl, dbUrl: rebuiltUrl });
    const rebuilt = await dumpReadModel(rebuiltUrl);
    const live = await dumpReadModel(target.dbUrl);
    return Object.keys({ ...rebuilt, ...live }).filter((table) => !isDeepStrictEqual(rebuilt[table], live[table]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}
