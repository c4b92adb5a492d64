import { Headers, Subjects } from '@coffer/contracts';
import { freePort, SpawnedNats, startNatsServer } from '@coffer/testing';
import { connect, Msg, NatsConnection, Subscription } from 'nats';
import { CofferClient } from './coffer-client';
import { isCofferError } from './errors';

const VAULT = 'vault-1';
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const bodyOf = (msg: Msg) => JSON.parse(new TextDecoder().decode(msg.data));

describe('CofferClient against a real nats-server and a fake responder', () => {
  let nats: SpawnedNats;
  let responder: NatsConnection;
  let client: CofferClient;
  const subscriptions: Subscription[] = [];

  /** Answers `subject` with `answer(msg, attempt)`; an undefined answer is no reply at all. */
  async function respond(subject: string, answer: (msg: Msg, attempt: number) => unknown): Promise<Msg[]> {
    const received: Msg[] = [];
    subscriptions.push(
      responder.subscribe(subject, {
        callback: (_err, msg) => {
          received.push(msg);
          const reply = answer(msg, received.length);
          if (reply !== undefined) msg.respond(json(reply));
        },
      }),
    );
    await responder.flush(); // the server knows the subscription before the client asks
    return received;
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    responder = await connect({ servers: nats.url, noAsyncTraces: true });
    client = await CofferClient.connect({ url: nats.url, timeoutMs: 2000 });
  });

  afterEach(() => {
    subscriptions.splice(0).forEach((s) => s.unsubscribe());
  });

  afterAll(async () => {
    await client?.close();
    await responder?.close();
    await nats?.stop();
  });

  it('sends a JSON body with a fresh Coffer-Request-Id per request and decodes the reply', async () => {
    const status = { vault: { ok: true, version: '0.1.0' }, cryptoWorker: { ok: true }, projector: { ok: true, lag: 0 } };
    const received = await respond(Subjects.status, () => status);
    await expect(client.status()).resolves.toEqual(status);
    await client.status();
    const ids = received.map((m) => m.headers?.get(Headers.requestId));
    expect(ids[0]).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(bodyOf(received[0])).toEqual({});
  });

  it('sends the caller’s request id when given one', async () => {
    const received = await respond(Subjects.secret(VAULT, 'get'), (msg) => ({ name: bodyOf(msg).name, value: 'v' }));
    await client.secrets(VAULT).get('a', undefined, { requestId: 'my-retry-1' });
    expect(received[0].headers?.get(Headers.requestId)).toBe('my-retry-1');
    expect(bodyOf(received[0])).toEqual({ name: 'a' });
  });

  it('reuses the request id when it retries after a timeout', async () => {
    // The first attempt gets no reply; the second does.
    const received = await respond(Subjects.secret(VAULT, 'set'), (msg, attempt) => (attempt === 1 ? undefined : { name: bodyOf(msg).name, version: 'v1' }));
    await expect(client.secrets(VAULT).set('a', 'x', { timeoutMs: 200, retries: 1 })).resolves.toMatchObject({ version: 'v1' });
    expect(received).toHaveLength(2);
    expect(received[1].headers?.get(Headers.requestId)).toBe(received[0].headers?.get(Headers.requestId));
  });

  it('maps a wire error to a CofferRequestError with code, inner code and subject', async () => {
    await respond(Subjects.secret(VAULT, 'set'), () => ({
      error: { code: 'Conflict', message: 'Version mismatch.', innererror: { code: 'VersionMismatch' } },
    }));
    const err = await client.secrets(VAULT).set('a', 'x', { ifMatch: '3' }).catch((e) => e);
    expect(isCofferError(err, 'Conflict')).toBe(true);
    expect(err).toMatchObject({ innerCode: 'VersionMismatch', subject: Subjects.secret(VAULT, 'set'), message: 'Version mismatch.' });
  });

  it('maps no responders to ServiceUnavailable', async () => {
    const err = await client.vaults.show('nobody-home').catch((e) => e);
    expect(err).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'NoResponders', subject: Subjects.vault('nobody-home', 'show') });
  });

  it('maps a request timeout to RequestTimeout, honouring the per-call timeout', async () => {
    await respond(Subjects.vault(VAULT, 'show'), () => undefined);
    const started = Date.now();
    const err = await client.vaults.show(VAULT, { timeoutMs: 150 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'RequestTimeout', subject: Subjects.vault(VAULT, 'show') });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('iterates every page of a list over NATS', async () => {
    const received = await respond(Subjects.secret(VAULT, 'list'), (msg) =>
      bodyOf(msg).continuationToken === 'p2' ? { value: [{ name: 'c' }] } : { value: [{ name: 'a' }, { name: 'b' }], continuationToken: 'p2' },
    );
    const names: string[] = [];
    for await (const item of client.secrets(VAULT).list({ pageSize: 2 })) names.push(item.name);
    expect(names).toEqual(['a', 'b', 'c']);
    expect(received.map(bodyOf)).toEqual([{ maxResults: 2 }, { maxResults: 2, continuationToken: 'p2' }]);
  });

  it('reports a failure to connect as ServiceUnavailable/ConnectionFailed', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    await expect(CofferClient.connect({ url })).rejects.toMatchObject({ code: 'ServiceUnavailable', innerCode: 'ConnectionFailed' });
  });

  it('leaves a caller-owned connection open on close', async () => {
    const borrowed = new CofferClient(responder);
    await borrowed.close();
    expect(responder.isClosed()).toBe(false);
  });
});
