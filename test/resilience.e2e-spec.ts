import { CofferClient, CofferRequestError } from '@coffer/client';
import { CofferStack, startCofferStack, until } from '@coffer/testing';
import { adminCredentials } from './auth-helpers';

/**
 * Real processes (built apps from dist/): the crypto-worker is killed with SIGKILL in the middle of
 * a load. Requests must fail with a typed error within their timeout, never hang, and the system
 * must recover once the worker is back.
 */
describe('crypto-worker outage', () => {
  let stack: CofferStack;
  let client: CofferClient;

  beforeAll(async () => {
    stack = await startCofferStack({ env: { COFFER_CRYPTO_TIMEOUT_MS: '2000', COFFER_DEK_CACHE_TTL_MS: '0' } });
    client = await CofferClient.connect({ url: stack.natsUrl, timeoutMs: 10_000, credentials: adminCredentials(stack.home) });
    await client.vaults.create('resilient');
    await client.secrets('resilient').set('warm', 'up');
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('gives errors, not hangs, while the crypto-worker is down, and recovers when it returns', async () => {
    const secrets = client.secrets('resilient');
    const outcomes: { ok: boolean; code?: string; ms: number }[] = [];
    let stop = false;
    const load = Array.from({ length: 16 }, async (_, i) => {
      for (let n = 0; !stop; n++) {
        const started = Date.now();
        try {
          // Data-key caching is off (TTL 0), so every read and write needs the crypto-worker.
          await (n % 2 ? secrets.get('warm') : secrets.set(`load-${i}`, `v${n}`));
          outcomes.push({ ok: true, ms: Date.now() - started });
        } catch (e) {
          outcomes.push({ ok: false, code: (e as CofferRequestError).code, ms: Date.now() - started });
        }
      }
    });
    await until('the load to succeed before the outage', () => outcomes.filter((o) => o.ok).length >= 16, 30_000);
    await stack.kill('crypto-worker', 'SIGKILL');
    const killedAt = outcomes.length;
    // Through the outage: several requests that were sent with the worker gone have come back failed.
    await until('failures during the outage', () => outcomes.slice(killedAt).filter((o) => !o.ok).length >= 16, 30_000);
    const duringOutage = outcomes.length;
    await stack.start('crypto-worker');
    await until('successes after the worker is back', () => outcomes.slice(duringOutage).filter((o) => o.ok).length >= 16, 30_000);
    stop = true;
    await Promise.all(load);

    const failures = outcomes.filter((o) => !o.ok);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.code))).toEqual(new Set(['ServiceUnavailable']));
    // Bounded by the crypto timeout (2 s) plus slack; nothing waited for the client's 10 s timeout.
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(6000);
    expect(outcomes.slice(duringOutage).some((o) => o.ok)).toBe(true);
    expect((await secrets.get('warm')).value).toBe('up');
    const status = await client.status();
    expect(status.cryptoWorker.ok).toBe(true);
  }, 60_000);
});
