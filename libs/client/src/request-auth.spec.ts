import { NatsConnection, RequestOptions } from 'nats';
import { Authenticator, Requester } from './request';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
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

describe('Requester with an authenticator', () => {
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
