import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CofferStack, sampleRss, startCofferStack } from '@coffer/testing';
import { BenchOptions } from './bench-options';
import { measureAuditedCeiling, measureEchoCeiling, measureJetStreamPublishCeiling } from './ceilings';
import { CEILING_IN_FLIGHT } from './ceilings.bench';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';
import { CeilingRatio, Check, check, formatCeilingRatios, formatChecks, formatResults, MiB, progress } from './report';

/**
 * What the secrets path must reach (issue 14), relative to the ceilings measured in the same run, with
 * authentication, authorization and audit on (as users run it; they cannot be turned off).
 */
export const SECRETS_TARGETS = {
  getVsEcho: 0.2,
  getVsAuditedEcho: 0.5,
  getP99Ms: 25,
  set16VsJetStreamPublish: 0.1,
  set64VsJetStreamPublish: 0.15,
  set16P50Ms: 5,
  idleRssMiB: 800,
  peakRssMiB: 1.2 * 1024,
} as const;

const VAULT = 'bench';
const READ_SECRET = 'bench-read';
/** Sets rotate over many secrets (writers rarely meet); contention is measured on its own. */
const SET_NAMES = Array.from({ length: 256 }, (_, i) => `bench-set-${i}`);
const CONTENDED_SECRET = 'bench-contended';
const SETTLE_MS = 2000;
const RSS_SAMPLE_MS = 100;

/** `bench secrets`: the ceilings, then secrets get and set through the SDK, against one stack. */
export async function runSecretsBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack (nats-server and every Coffer app)');
  const stack = await startCofferStack();
  try {
    return await measure(stack, opts);
  } finally {
    await stack.stop();
  }
}

async function measure(stack: CofferStack, opts: BenchOptions): Promise<boolean> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const idleRss = stack.rss();
  const rss = sampleRss(() => stack.rss(), RSS_SAMPLE_MS);
  const at = (concurrency: number): LoadOptions => ({ concurrency, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds });

  progress(`NATS request-reply echo, ${CEILING_IN_FLIGHT} in flight`);
  const echo = await measureEchoCeiling(stack.adminUrl, at(CEILING_IN_FLIGHT));
  progress(`JetStream publish with ack, ${CEILING_IN_FLIGHT} in flight`);
  const publish = await measureJetStreamPublishCeiling(stack.adminUrl, at(CEILING_IN_FLIGHT));
  progress(`audited echo (request, audit record group-committed, reply), ${CEILING_IN_FLIGHT} and 64 in flight`);
  const auditedEcho = await measureAuditedCeiling(stack.adminUrl, 'echo', at(CEILING_IN_FLIGHT));
  progress('audited append (request, event appended, audit record group-committed, reply), 16 and 64 in flight');
  const auditedAppend16 = await measureAuditedCeiling(stack.adminUrl, 'append', at(16));
  const auditedAppend64 = await measureAuditedCeiling(stack.adminUrl, 'append', at(64));

  // The bootstrap administrator, as a user of the embedded default would be.
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench', credentials: admin });
  let results: LoadResult[];
  let tokens: LoadResult;
  let get: LoadResult;
  let set16: LoadResult;
  let set64: LoadResult;
  let contended: LoadResult;
  try {
    await client.vaults.create(VAULT);
    const secrets = client.secrets(VAULT);
    const value = randomBytes(48).toString('base64');
    await secrets.set(READ_SECRET, value);

    progress('secrets get, 64 in flight');
    get = await runClosedLoop('secrets get', () => secrets.get(READ_SECRET), at(64));
    progress('secrets set, 16 in flight');
    set16 = await runClosedLoop('secrets set', (i) => secrets.set(SET_NAMES[i % SET_NAMES.length], value), at(16));
    progress('secrets set, 64 in flight');
    set64 = await runClosedLoop('secrets set', (i) => secrets.set(SET_NAMES[i % SET_NAMES.length], value), at(64));
    progress('secrets set on one secret (contention, informational), 16 in flight');
    contended = await runClosedLoop('set, 1 secret (contended)', () => secrets.set(CONTENDED_SECRET, value), at(16));
    // The same client signing in again (recognised from memory, VerifiedSecrets); COFFER_CREDENTIAL_PROOF_TTL_MS=0 measures the HSM check each time.
    progress('token issue (client secret), 8 in flight');
    tokens = await runClosedLoop('token issue (secret)', () => client.auth.requestToken(admin), at(8));
    results = [echo, publish, auditedEcho, auditedAppend16, auditedAppend64, get, set16, set64, contended, tokens];
  } finally {
    rss.stop();
    await client.close();
  }

  const checks: Check[] = [
    check('get / echo', get.opsPerSec / echo.opsPerSec, '>=', SECRETS_TARGETS.getVsEcho),
    check('get / audited echo', get.opsPerSec / auditedEcho.opsPerSec, '>=', SECRETS_TARGETS.getVsAuditedEcho),
    check('get p99', get.p99Ms, '<=', SECRETS_TARGETS.getP99Ms, 'ms'),
    check('set(16) / JetStream publish', set16.opsPerSec / publish.opsPerSec, '>=', SECRETS_TARGETS.set16VsJetStreamPublish),
    check('set(64) / JetStream publish', set64.opsPerSec / publish.opsPerSec, '>=', SECRETS_TARGETS.set64VsJetStreamPublish),
    check('set(16) p50', set16.p50Ms, '<=', SECRETS_TARGETS.set16P50Ms, 'ms'),
    check('idle RSS', idleRss / MiB, '<=', SECRETS_TARGETS.idleRssMiB, 'MiB'),
    check('peak RSS', rss.peak() / MiB, '<=', SECRETS_TARGETS.peakRssMiB, 'MiB'),
  ];
  const passed = checks.every((c) => c.pass);
  // Reads against the echo ceilings, writes against the publish ones (the honest one at the same in-flight count).
  const ratios: CeilingRatio[] = [
    { result: get, raw: echo, honest: auditedEcho },
    { result: set16, raw: publish, honest: auditedAppend16 },
    { result: set64, raw: publish, honest: auditedAppend64 },
    { result: contended, raw: publish, honest: auditedAppend16 },
    { result: tokens, raw: echo, honest: auditedEcho },
  ];
  const ratioJson = ratios.map((r) => ({ name: r.result.name, concurrency: r.result.concurrency, raw: r.raw.name, vsRaw: r.result.opsPerSec / r.raw.opsPerSec, honest: `${r.honest.name} (${r.honest.concurrency})`, vsHonest: r.result.opsPerSec / r.honest.opsPerSec }));

  if (opts.json) {
    const memory = { idleRssBytes: idleRss, peakRssBytes: rss.peak() };
    process.stdout.write(`${JSON.stringify({ benchmark: 'secrets', options: opts, results, ratios: ratioJson, memory, checks, passed }, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        '',
        `coffer bench secrets (${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; one stack, same nats-server)`,
        formatResults(results),
        '',
        'against the ceilings (raw: transport alone; honest: plus the audit record, and for a set the append, before the reply)',
        formatCeilingRatios(ratios),
        '',
        'targets',
        formatChecks(checks.slice(0, 6)),
        '',
        'resident memory (nats-server and every Coffer app)',
        formatChecks(checks.slice(6)),
        '',
        `secrets bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'),
    );
  }
  return passed;
}
