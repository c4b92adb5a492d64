import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CofferStack, sampleRss, startCofferStack } from '@coffer/testing';
import { BenchOptions } from './bench-options';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';
import { HsmCeilings, openHsmCeilings } from './hsm-ceilings';
import { Check, check, formatChecks, formatResults, MiB, progress } from './report';

/**
 * Certificate issuance through Coffer (SDK → vault → crypto-worker: key generated in the HSM, TBS
 * signed by an internal CA's HSM key, data key made for the new secret, one event with certificate,
 * key and secret → projector) beside the HSM work alone (the same key generation and one signature,
 * directly through pkcs11js on the same token in the same run). Each issuance is a new certificate.
 */
export const CERTS_TARGETS = {
  // The issue asks for the issue rate and its ratio to the HSM work alone (reported below), not a
  // ratio target; memory is held to the project-wide limit.
  peakRssMiB: 1.2 * 1024,
} as const;

const VAULT = 'bench-certs';
const IN_FLIGHT = 32;
const SETTLE_MS = 2000;

/** `bench certs`: issue EC P-256 and RSA-2048 certificates from internal CAs of the same key type. */
export async function runCertsBench(opts: BenchOptions): Promise<boolean> {
  progress('starting a Coffer stack (nats-server, crypto-worker, projector, audit, vault)');
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
  const rss = sampleRss(() => stack.rss(), 100);
  const load: LoadOptions = { concurrency: IN_FLIGHT, seconds: opts.seconds, warmupSeconds: opts.warmupSeconds };
  process.env.SOFTHSM2_CONF = stack.token.conf;
  const direct: HsmCeilings = await openHsmCeilings({ module: stack.token.module, token: stack.token.label, pin: stack.token.pin });
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-certs', credentials: admin, timeoutMs: 60_000 });
  const results: Record<string, LoadResult> = {};
  try {
    await client.vaults.create(VAULT);
    await client.issuers(VAULT).create('ec-ca', 'CN=Bench EC CA', { kty: 'EC', crv: 'P-256' });
    await client.issuers(VAULT).create('rsa-ca', 'CN=Bench RSA CA', { kty: 'RSA', key_size: 2048 });
    const certs = client.certificates(VAULT);
    const issue = (prefix: string, kty: 'EC' | 'RSA', issuer: string) => (i: number) => certs.create(`${prefix}-${i}-${process.hrtime.bigint()}`.slice(0, 127), {
      policy: {
        key_props: kty === 'EC' ? { kty, crv: 'P-256' } : { kty, key_size: 2048 },
        x509_props: { subject: `CN=${prefix}-${i}.bench.example`, sans: { dns_names: [`${prefix}-${i}.bench.example`] }, validity_months: 12 },
        issuer: { name: issuer },
      },
    });
    const pairs: Array<[string, () => Promise<LoadResult>, (i: number) => Promise<unknown>]> = [
      ['EC P-256 issue', () => direct.ecKeygenSign(load), issue('ec', 'EC', 'ec-ca')],
      ['RSA-2048 issue', () => direct.rsaKeygenSign(load), issue('rsa', 'RSA', 'rsa-ca')],
    ];
    for (const [name, ceiling, coffer] of pairs) {
      progress(`${name}: direct pkcs11js keygen + sign, ${IN_FLIGHT} in flight`);
      results[`${name} direct`] = { ...(await ceiling()), name: `${name} (pkcs11js keygen + sign)` };
      progress(`${name}: through Coffer, ${IN_FLIGHT} in flight`);
      results[name] = await runClosedLoop(`${name} (Coffer)`, coffer, load);
    }
  } finally {
    rss.stop();
    await client.close();
    await direct.close();
  }

  const ratio = (name: string) => results[name].opsPerSec / results[`${name} direct`].opsPerSec;
  const ratios = { ecVsDirect: ratio('EC P-256 issue'), rsaVsDirect: ratio('RSA-2048 issue') };
  const checks: Check[] = [check('peak RSS', rss.peak() / MiB, '<=', CERTS_TARGETS.peakRssMiB, 'MiB')];
  const passed = checks.every((c) => c.pass);
  if (opts.json) {
    const out = { benchmark: 'certs', options: opts, results: Object.values(results), ratios, memory: { idleRssBytes: idleRss, peakRssBytes: rss.peak() }, checks, passed };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        '',
        `coffer bench certs (${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; ${IN_FLIGHT} in flight; one stack and token; direct = pkcs11js in this process)`,
        formatResults(Object.values(results)),
        '',
        'target',
        formatChecks(checks),
        '',
        'ratio to the HSM work alone (key generation + one signature through pkcs11js)',
        `  EC P-256 issue / direct     ${ratios.ecVsDirect.toFixed(2)}`,
        `  RSA-2048 issue / direct     ${ratios.rsaVsDirect.toFixed(2)}`,
        `  idle RSS ${(idleRss / MiB).toFixed(0)} MiB, peak RSS ${(rss.peak() / MiB).toFixed(0)} MiB`,
        '',
        `certs bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'),
    );
  }
  return passed;
}
