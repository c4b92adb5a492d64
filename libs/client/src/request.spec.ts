import { NatsConnection, RequestOptions } from 'nats';
import { CofferRequestError } from './errors';
import { Authenticator, decodeReply, Requester, throttleWaitMs } from './request';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('Requester with an authenticator', () => {
  const unauthorized = (inner: string) => enc({ error: { code: 'Unauthorized', message: 'no', innererror: { code: inner } } });

  /** A NatsConnection that answers from a script and records each request's headers. */
  function fakeConnection(replies: Uint8Array[]) {
    const seen: { subject: string; authorization?: string; requestId?: string }[] = [];
    const nc = {
      request: async (subject: string, _data: Uint8Array, opts: RequestOptions) => {
        seen.push({ subject, authorization: opts.headers?.has('Authorization') ? opts.headers.get('Authorization') : undefined, requestId: opts.headers?.get('Coffer-Request-Id') });
        return { data: replies.shift() ?? enc({ ok: true }) };
      },
    } as unknown as NatsConnection;
    return { nc, seen };
  }

  function authenticator(tokens: string[]): Authenticator & { renewals: string[] } {
    const renewals: string[] = [];
    let current = tokens.shift();
    return {
      renewals,
      token: async () => current,
      renew: async (rejected) => {
        renewals.push(rejected);
        current = tokens.shift();
        return current;
      },
    };
  }

  const defaults = { timeoutMs: 100, retries: 0 };

  it('sends Authorization: Bearer <token>, except on anonymous requests', async () => {
    const { nc, seen } = fakeConnection([]);
    const requester = new Requester(nc, defaults, authenticator(['t1']));
    await requester.request('coffer.v1.status', {});
    await requester.request('coffer.v1.auth.token', {}, {}, { anonymous: true });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer t1', undefined]);
  });

  it('sends no header without an authenticator, or when it has no token', async () => {
    const { nc, seen } = fakeConnection([]);
    await new Requester(nc, defaults).request('s', {});
    await new Requester(nc, defaults, authenticator([])).request('s', {});
    expect(seen.map((s) => s.authorization)).toEqual([undefined, undefined]);
  });

  it('after Unauthorized renews the token once and retries with the same request id', async () => {
    const { nc, seen } = fakeConnection([unauthorized('TokenExpired'), enc({ value: 42 })]);
    const auth = authenticator(['old', 'new']);
    await expect(new Requester(nc, defaults, auth).request('s', {})).resolves.toEqual({ value: 42 });
    expect(auth.renewals).toEqual(['old']);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer old', 'Bearer new']);
    expect(seen[1].requestId).toBe(seen[0].requestId);
  });

  it('retries only once: a second Unauthorized is the answer', async () => {
    const { nc, seen } = fakeConnection([unauthorized('TokenExpired'), unauthorized('TokenRevoked')]);
    const auth = authenticator(['old', 'new', 'newer']);
    await expect(new Requester(nc, defaults, auth).request('s', {})).rejects.toMatchObject({ code: 'Unauthorized', innerCode: 'TokenRevoked' });
    expect(seen).toHaveLength(2);
  });

  it('does not retry when the token cannot be renewed (a fixed token)', async () => {
    const { nc, seen } = fakeConnection([unauthorized('TokenExpired')]);
    await expect(new Requester(nc, defaults, authenticator(['fixed'])).request('s', {})).rejects.toMatchObject({ innerCode: 'TokenExpired' });
    expect(seen).toHaveLength(1);
  });

  it('does not retry on Forbidden', async () => {
    const { nc, seen } = fakeConnection([enc({ error: { code: 'Forbidden', message: 'no', innererror: { code: 'ForbiddenByRbac' } } })]);
    const auth = authenticator(['t', 'u']);
    await expect(new Requester(nc, defaults, auth).request('s', {})).rejects.toMatchObject({ code: 'Forbidden' });
    expect(auth.renewals).toEqual([]);
    expect(seen).toHaveLength(1);
  });
});

describe('Throttled replies in the SDK', () => {
  const throttledReply = (retryAfterMs: number, inner = 'TooManyRequests') =>
    enc({ error: { code: 'Throttled', message: 'slow down', innererror: { code: inner }, retryAfterMs } });

  function fakeConnection(replies: Uint8Array[]) {
    const seen: { at: number; requestId?: string }[] = [];
    const nc = {
      request: async (_subject: string, _data: Uint8Array, opts: RequestOptions) => {
        seen.push({ at: performance.now(), requestId: opts.headers?.get('Coffer-Request-Id') });
        return { data: replies.shift() ?? enc({ ok: true }) };
      },
    } as unknown as NatsConnection;
    return { nc, seen };
  }

  const defaults = { timeoutMs: 100, retries: 0, throttle: { retries: 3, maxWaitMs: 1_000 } };

  it('keeps retryAfterMs on the error and in its wire form', () => {
    let caught: unknown;
    try {
      decodeReply(throttledReply(1500, 'CredentialLockedOut'), 'coffer.v1.auth.token', 'r1');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CofferRequestError);
    expect(caught).toMatchObject({ code: 'Throttled', innerCode: 'CredentialLockedOut', retryAfterMs: 1500 });
    expect((caught as CofferRequestError).toWire()).toEqual({ error: { code: 'Throttled', message: 'slow down', innererror: { code: 'CredentialLockedOut' }, retryAfterMs: 1500 } });
  });

  it('ignores a retryAfterMs that is not a non-negative number', () => {
    expect(() => decodeReply(enc({ error: { code: 'Throttled', message: 'x', retryAfterMs: 'soon' } }), 's')).toThrow(expect.objectContaining({ retryAfterMs: undefined }));
  });

  it('waits the retry-after plus at most a quarter (≤ 1 s) of jitter', () => {
    expect(throttleWaitMs(400, () => 0)).toBe(400);
    expect(throttleWaitMs(400, () => 0.999)).toBe(499);
    expect(throttleWaitMs(60_000, () => 0.999)).toBe(60_999);
  });

  it('waits retryAfterMs and retries with the same request id, then returns the answer', async () => {
    const { nc, seen } = fakeConnection([throttledReply(30), throttledReply(30), enc({ value: 1 })]);
    await expect(new Requester(nc, defaults).request('s', {})).resolves.toEqual({ value: 1 });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.requestId)).size).toBe(1);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(29);
  });

  it('gives up after `retries` retries with the last Throttled (retry-after included)', async () => {
    const { nc, seen } = fakeConnection([1, 2, 3, 4, 5].map(() => throttledReply(5)));
    await expect(new Requester(nc, defaults).request('s', {})).rejects.toMatchObject({ code: 'Throttled', retryAfterMs: 5 });
    expect(seen).toHaveLength(4);
  });

  it('does not wait for a retry-after beyond maxWaitMs, nor without a policy', async () => {
    const long = fakeConnection([throttledReply(60_000, 'CredentialLockedOut')]);
    await expect(new Requester(long.nc, defaults).request('s', {})).rejects.toMatchObject({ innerCode: 'CredentialLockedOut', retryAfterMs: 60_000 });
    expect(long.seen).toHaveLength(1);
    const none = fakeConnection([throttledReply(5)]);
    await expect(new Requester(none.nc, { timeoutMs: 100, retries: 0 }).request('s', {})).rejects.toMatchObject({ code: 'Throttled' });
    expect(none.seen).toHaveLength(1);
  });
});
