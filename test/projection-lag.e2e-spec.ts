import { CofferClient, CofferRequestError, DEFAULT_TIMEOUT_MS } from '@coffer/client';
import { CofferStack, startCofferStack } from '@coffer/testing';
import { adminCredentials } from './auth-helpers';
import { freezeProjector } from './idempotency-helpers';

/**
 * Issue 13, item 5: with the defaults, a write whose projection stalls reaches an SDK caller as the
 * documented, retryable ServiceUnavailable/ProjectionLagging — before, the vault's projection wait
 * equalled the SDK's timeout, so callers only ever saw their own RequestTimeout.
 */
describe('a stalled projection, with default timeouts (real processes)', () => {
  let stack: CofferStack;
  let client: CofferClient;

  beforeAll(async () => {
    stack = await startCofferStack(); // no COFFER_PROJECTION_WAIT_MS: the default is under test
    client = await CofferClient.connect({ url: stack.natsUrl, credentials: adminCredentials(stack.home) });
    await client.vaults.create('lag');
  });
  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('answers ProjectionLagging within the SDK timeout, and the retried write is applied once', async () => {
    const secrets = client.secrets('lag');
    const projector = freezeProjector(stack);
    let err: unknown;
    try {
      err = await secrets.set('s', 'v1', { requestId: 'lagging-write' }).catch((e: unknown) => e);
    } finally {
      projector.thaw();
    }
    expect(err).toBeInstanceOf(CofferRequestError);
    expect(err).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ProjectionLagging' });
    const retried = await secrets.set('s', 'v1', { requestId: 'lagging-write' });
    expect((await secrets.listVersionsPage('s')).value.map((v) => v.version)).toEqual([retried.version]);
    expect(DEFAULT_TIMEOUT_MS).toBeGreaterThan(5_000);
  }, 60_000);
});
