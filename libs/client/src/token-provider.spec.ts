import { AccessToken, needsRefresh, TokenProvider, tokenExpiryMs } from './token-provider';

const MIN = 60_000;

/** A fake clock and a fetcher issuing tok-1, tok-2, … valid `ttlMs` from the fake now. */
function setup(ttlMs = 15 * MIN) {
  const clock = { now: 1_000_000 };
  let issued = 0;
  const fetches: Array<{ resolve: () => void }> = [];
  let manual = false;
  let failNext: Error | undefined;
  const fetcher = jest.fn(async (): Promise<AccessToken> => {
    if (failNext) {
      const err = failNext;
      failNext = undefined;
      throw err;
    }
    if (manual) await new Promise<void>((resolve) => fetches.push({ resolve }));
    issued++;
    return { token: `tok-${issued}`, obtainedMs: clock.now, expiresOnMs: clock.now + ttlMs };
  });
  const provider = new TokenProvider(fetcher, undefined, () => clock.now);
  return {
    clock, fetcher, provider, fetches,
    holdFetches: () => (manual = true),
    failNextFetch: (err: Error) => (failNext = err),
  };
}

describe('needsRefresh', () => {
  const at = (lifetimeMs: number) => ({ token: 't', obtainedMs: 0, expiresOnMs: lifetimeMs });
  it.each([
    // lifetime, now, refresh?
    [15 * MIN, 13 * MIN, false], // 2 min left of 15: fine
    [15 * MIN, 14 * MIN + 1, true], // < 60 s left (10 % would be 90 s: the smaller margin wins)
    [2 * MIN, 100_000, false], // 20 s left of 2 min; margin is 12 s
    [2 * MIN, 108_000, true], // 12 s left
    [30_000, 20_000, false], // a short token is not refreshed on every call
    [30_000, 27_000, true],
    [15 * MIN, 16 * MIN, true], // expired
  ])('a %i ms token at %i ms: %s', (lifetime, now, expected) => {
    expect(needsRefresh(at(lifetime), now)).toBe(expected);
  });

  it('never for a token without a known expiry', () => {
    expect(needsRefresh({ token: 't' }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('TokenProvider', () => {
  it('obtains a token lazily, on first use, and reuses it while it is fresh', async () => {
    const { provider, fetcher, clock } = setup();
    expect(fetcher).not.toHaveBeenCalled();
    await expect(provider.token()).resolves.toBe('tok-1');
    clock.now += 13 * MIN;
    await expect(provider.token()).resolves.toBe('tok-1');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('refreshes shortly before expiry', async () => {
    const { provider, fetcher, clock } = setup();
    await provider.token();
    clock.now += 14 * MIN + 30_000; // 30 s left
    await expect(provider.token()).resolves.toBe('tok-2');
    expect(fetcher).toHaveBeenCalledTimes(2);
    await expect(provider.accessToken()).resolves.toMatchObject({ token: 'tok-2', expiresOnMs: clock.now + 15 * MIN });
  });

  it('shares one fetch between concurrent callers', async () => {
    const { provider, fetcher, fetches, holdFetches } = setup();
    holdFetches();
    const callers = [provider.token(), provider.token(), provider.token()];
    await Promise.resolve();
    expect(fetches).toHaveLength(1);
    fetches[0].resolve();
    await expect(Promise.all(callers)).resolves.toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('shares one refresh between concurrent callers near expiry', async () => {
    const { provider, fetcher, fetches, holdFetches, clock } = setup();
    await provider.token();
    clock.now += 15 * MIN;
    holdFetches();
    const callers = [provider.token(), provider.token()];
    await Promise.resolve();
    fetches.forEach((f) => f.resolve());
    await expect(Promise.all(callers)).resolves.toEqual(['tok-2', 'tok-2']);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('renews a rejected token once, however many callers saw it rejected', async () => {
    const { provider, fetcher } = setup();
    const rejected = await provider.token();
    const renewed = await Promise.all([provider.renew(rejected), provider.renew(rejected)]);
    expect(renewed).toEqual(['tok-2', 'tok-2']);
    // A late caller that saw tok-1 rejected gets the already renewed token, not a third one.
    await expect(provider.renew(rejected)).resolves.toBe('tok-2');
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('keeps using a still-valid token when a refresh near expiry fails, and fails once it has expired', async () => {
    const { provider, clock, failNextFetch } = setup();
    await provider.token();
    clock.now += 14 * MIN + 30_000;
    failNextFetch(new Error('service briefly unavailable'));
    await expect(provider.token()).resolves.toBe('tok-1');
    clock.now += MIN;
    failNextFetch(new Error('still down'));
    await expect(provider.token()).rejects.toThrow('still down');
    await expect(provider.token()).resolves.toBe('tok-2'); // and recovers
  });

  it('a first fetch that fails is retried on the next call', async () => {
    const { provider, failNextFetch } = setup();
    failNextFetch(new Error('InvalidCredential'));
    await expect(provider.token()).rejects.toThrow('InvalidCredential');
    await expect(provider.token()).resolves.toBe('tok-1');
  });

  it('a fixed token is used as is, even past its expiry, and cannot be renewed', async () => {
    const provider = new TokenProvider(undefined, { token: 'fixed', expiresOnMs: 1 }, () => 10_000);
    await expect(provider.token()).resolves.toBe('fixed');
    await expect(provider.renew('fixed')).resolves.toBeUndefined();
  });
});

describe('tokenExpiryMs', () => {
  const jwt = (claims: object) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  it('reads exp from a JWS payload', () => {
    expect(tokenExpiryMs(jwt({ exp: 1_900_000_000, sub: 'p-0123456789abcdef' }))).toBe(1_900_000_000_000);
  });
  it.each([['opaque'], ['a.b.c'], [jwt({ sub: 'x' })], [jwt({ exp: 'soon' })]])('undefined for %s', (token) => {
    expect(tokenExpiryMs(token)).toBeUndefined();
  });
});
