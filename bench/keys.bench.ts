import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CofferClient } from '@coffer/client';
import { CryptoStatusReply, InternalSubjects } from '@coffer/contracts';
import { CofferStack, sampleRss, startCofferStack } from '@coffer/testing';
import { loadConfig } from '@coffer/config';
import { BenchOptions } from './bench-options';
import { connectLikeTheSdk } from './ceilings';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';
import { HsmCeilings, openHsmCeilings } from './hsm-ceilings';
import { openTokenVerification, TokenVerification } from './token-verification';
import { CeilingRatio, Check, check, formatCeilingRatios, formatChecks, formatResults, MiB, progress } from './report';

/**
 * What key operations through Coffer (SDK → NATS → vault: authenticate, authorize, audit → crypto-worker
 * → HSM) must reach, relative to the same operation done directly through pkcs11js on the same token
 * in the same run. RSA is bound by the HSM; EC pays for the whole path.
 */
export const KEYS_TARGETS = {
  rs256VsDirect: 0.5,
  es256VsDirect: 0.3,
  /** For operations the HSM itself finishes within it at 64 in flight (EC, AES); RSA p99 is reported beside the direct p99. */
  p99Ms: 50,
  peakRssMiB: 1.2 * 1024,
} as const;

const VAULT = 'bench-keys';
const IN_FLIGHT = 64;
const SETTLE_MS = 2000;

/** `bench keys`: sign ES256/RS256, RSA-OAEP encrypt/decrypt, A256KW wrap/unwrap, each beside direct pkcs11js. */
export async function runKeysBench(opts: BenchOptions): Promise<boolean> {
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
  // The direct ceilings load SoftHSM in this process: it must read the stack's token directory.
  process.env.SOFTHSM2_CONF = stack.token.conf;
  const direct: HsmCeilings = await openHsmCeilings({ module: stack.token.module, token: stack.token.label, pin: stack.token.pin });
  const admin = JSON.parse(readFileSync(join(stack.home, 'admin.credentials'), 'utf8')) as { clientId: string; clientSecret: string };
  const client = await CofferClient.connect({ url: stack.natsUrl, name: 'coffer-bench-keys', credentials: admin, timeoutMs: 30_000 });
  const internal = await connectLikeTheSdk(stack.nats.userUrl('coffer-vault'), 'coffer-bench-keys-status');
  const results: Record<string, LoadResult> = {};
  let loopDelayMs = Number.NaN;
  let verification: TokenVerification | undefined;
  try {
    // The authenticated direct ceiling: the vault's token verification (its TokenAuthenticator, this
    // client's token, the stack's read model) in front of each pkcs11js call, in this process.
    const { accessToken } = await client.auth.requestToken(admin);
    verification = await openTokenVerification(loadConfig({ COFFER_HOME: stack.home, COFFER_DB_URL: stack.dbUrl }), internal, accessToken);
    const gate = verification.authenticate;
    await client.vaults.create(VAULT);
    const keys = client.keys(VAULT);
    await keys.create('rsa', 'RSA', { size: 2048 });
    await keys.create('ec', 'EC', { curve: 'P-256' });
    await keys.create('aes', 'oct', { size: 256 });
    const digest = createHash('sha256').update('bench').digest();
    const plain = randomBytes(32);
    const rsaCiphertext = (await keys.encrypt('rsa', 'RSA-OAEP', plain)).value;
    const wrapped = (await keys.wrapKey('aes', 'A256KW', plain)).value;

    const pairs: Array<[string, HsmCeilings['es256Sign'], () => Promise<unknown>]> = [
      ['ES256 sign', direct.es256Sign, () => keys.sign('ec', 'ES256', digest)],
      ['RS256 sign', direct.rs256Sign, () => keys.sign('rsa', 'RS256', digest)],
      ['RSA-OAEP decrypt', direct.rsaOaepDecrypt, () => keys.decrypt('rsa', 'RSA-OAEP', rsaCiphertext)],
      ['A256KW wrap', direct.a256kwWrap, () => keys.wrapKey('aes', 'A256KW', plain)],
      ['A256KW unwrap', direct.a256kwUnwrap, () => keys.unwrapKey('aes', 'A256KW', wrapped)],
    ];
    for (const [name, ceiling, coffer] of pairs) {
      progress(`${name}: direct pkcs11js, ${IN_FLIGHT} in flight`);
      results[`${name} direct`] = { ...(await ceiling(load)), name: `${name} (pkcs11js)` };
      progress(`${name}: direct pkcs11js after the vault's token verification, ${IN_FLIGHT} in flight`);
      results[`${name} authenticated`] = { ...(await ceiling(load, gate)), name: `${name} (pkcs11js+token)` };
      progress(`${name}: through Coffer, ${IN_FLIGHT} in flight`);
      results[name] = await runClosedLoop(`${name} (Coffer)`, coffer, load);
      if (name === 'RS256 sign') {
        // Right after RSA load: did the crypto-worker's event loop stay free while the HSM threads worked?
        const reply = await internal.request(InternalSubjects.crypto('status'), Buffer.from('{}'), { timeout: 5000 });
        loopDelayMs = (JSON.parse(Buffer.from(reply.data).toString()) as CryptoStatusReply).eventLoopDelay?.p99Ms ?? Number.NaN;
      }
    }
    progress(`RSA-OAEP encrypt (public key, in the vault), ${IN_FLIGHT} in flight`);
    results['RSA-OAEP encrypt'] = await runClosedLoop('RSA-OAEP encrypt (Coffer)', () => keys.encrypt('rsa', 'RSA-OAEP', plain), load);
  } finally {
    rss.stop();
    await verification?.close();
    await internal.close();
    await client.close();
    await direct.close();
  }

  const ratio = (name: string) => results[name].opsPerSec / results[`${name} direct`].opsPerSec;
  const ratios: CeilingRatio[] = ['ES256 sign', 'RS256 sign', 'RSA-OAEP decrypt', 'A256KW wrap', 'A256KW unwrap'].map((name) => ({
    result: results[name], raw: results[`${name} direct`], honest: results[`${name} authenticated`],
  }));
  const ratioJson = ratios.map((r) => ({ name: r.result.name, vsRaw: r.result.opsPerSec / r.raw.opsPerSec, vsHonest: r.result.opsPerSec / r.honest.opsPerSec }));
  const checks: Check[] = [
    check('RS256 sign / direct', ratio('RS256 sign'), '>=', KEYS_TARGETS.rs256VsDirect),
    check('ES256 sign / direct', ratio('ES256 sign'), '>=', KEYS_TARGETS.es256VsDirect),
    check('ES256 sign p99', results['ES256 sign'].p99Ms, '<=', KEYS_TARGETS.p99Ms, 'ms'),
    check('A256KW wrap p99', results['A256KW wrap'].p99Ms, '<=', KEYS_TARGETS.p99Ms, 'ms'),
    check('A256KW unwrap p99', results['A256KW unwrap'].p99Ms, '<=', KEYS_TARGETS.p99Ms, 'ms'),
    check('peak RSS', rss.peak() / MiB, '<=', KEYS_TARGETS.peakRssMiB, 'MiB'),
  ];
  const informational = [
    `  RSA-OAEP decrypt / direct   ${ratio('RSA-OAEP decrypt').toFixed(2)}`,
    `  A256KW wrap / direct        ${ratio('A256KW wrap').toFixed(2)}`,
    `  A256KW unwrap / direct      ${ratio('A256KW unwrap').toFixed(2)}`,
    `  RS256 p99 Coffer / direct   ${results['RS256 sign'].p99Ms.toFixed(1)} ms / ${results['RS256 sign direct'].p99Ms.toFixed(1)} ms (HSM-bound: queueing at ${IN_FLIGHT} in flight)`,
    `  crypto-worker event-loop delay p99 after RSA load: ${loopDelayMs.toFixed(1)} ms`,
    `  idle RSS ${(idleRss / MiB).toFixed(0)} MiB`,
  ];
  const passed = checks.every((c) => c.pass);
  if (opts.json) {
    const out = { benchmark: 'keys', options: opts, results: Object.values(results), ratios: ratioJson, memory: { idleRssBytes: idleRss, peakRssBytes: rss.peak() }, eventLoopDelayP99Ms: loopDelayMs, checks, passed };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        '',
        `coffer bench keys (${opts.seconds} s each after ${opts.warmupSeconds} s warm-up; one stack and token; direct = pkcs11js in this process)`,
        formatResults(Object.values(results)),
        '',
        'against the ceilings (raw: pkcs11js alone; honest: the vault\'s token verification, then pkcs11js, in one process)',
        formatCeilingRatios(ratios),
        '',
        'targets',
        formatChecks(checks),
        '',
        'informational',
        ...informational,
        '',
        `keys bench: ${passed ? 'all targets met' : `${checks.filter((c) => !c.pass).length} target(s) missed`}`,
        '',
      ].join('\n'),
    );
  }
  return passed;
}
