import { AuthSubjects, Subjects } from '@coffer/contracts';
import { SpawnedNats, startNatsServer } from '@coffer/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, Msg, NatsConnection, nkeys, Subscription } from 'nats';
import { CofferClient } from './coffer-client';
import { createKeyPair } from './credentials';

const ID = 'p-0123456789abcdef';
const SECRET = 'correct-horse-battery-staple';
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const bodyOf = (msg: Msg) => JSON.parse(new TextDecoder().decode(msg.data));
const header = (msg: Msg, name: string) => (msg.headers?.has(name) ? msg.headers.get(name) : undefined);
const unauthorized = (inner: string) => ({ error: { code: 'Unauthorized', message: `token problem: ${inner}`, innererror: { code: inner } } });

/**
 * A fake auth service: issues tok-1, tok-2, … for the right secret or a valid signature over its
 * nonce, and a status endpoint that accepts only the latest token (the test may revoke it).
 */
function fakeAuthService(publicKey?: string) {
  const state = { issued: 0, valid: new Set<string>(), nonces: new Set<string>(), expiresIn: 900 };
  const log: { subject: string; authorization?: string; requestId?: string; body: Record<string, unknown> }[] = [];
  const handle = (msg: Msg): unknown => {
    const body = bodyOf(msg);
    log.push({ subject: msg.subject, authorization: header(msg, 'Authorization'), requestId: header(msg, 'Coffer-Request-Id'), body });
    switch (msg.subject) {
      case AuthSubjects.challenge: {
        const nonce = `nonce-${state.nonces.size + 1}`;
        state.nonces.add(nonce);
        return { nonce, expiresOn: '2030-01-01T00:00:00Z' };
      }
      case AuthSubjects.token: {
        const bySecret = body.clientId === ID && body.clientSecret === SECRET;
        const byKey =
          publicKey !== undefined && state.nonces.delete(body.nonce) &&
          nkeys.fromPublic(publicKey).verify(Buffer.from(body.nonce, 'utf8'), Buffer.from(body.signature, 'base64'));
        if (!bySecret && !byKey) return unauthorized('InvalidCredential');
        const token = `tok-${++state.issued}`;
        state.valid.add(token);
        return { accessToken: token, tokenType: 'Bearer', expiresIn: state.expiresIn, expiresOn: '2030-01-01T00:15:00Z' };
      }
      default: {
        const auth = header(msg, 'Authorization');
        if (!auth) return unauthorized('TokenMissing');
        if (!state.valid.has(auth.replace(/^Bearer /, ''))) return unauthorized('TokenExpired');
        return msg.subject === AuthSubjects.whoami
          ? { principal: { id: ID, name: 'admin' }, assignments: [], tokenExpiresOn: '2030-01-01T00:15:00Z' }
          : { vault: { ok: true, version: '0.1.0' }, cryptoWorker: { ok: true }, projector: { ok: true } };
      }
    }
  };
  return { state, log, handle };
}

describe('CofferClient authentication against a real nats-server and a fake auth service', () => {
  let nats: SpawnedNats;
  let responder: NatsConnection;
  let subscription: Subscription | undefined;
  const clients: CofferClient[] = [];
  let dir: string;

  async function serve(service: ReturnType<typeof fakeAuthService>) {
    subscription?.unsubscribe();
    subscription = responder.subscribe('coffer.v1.>', { callback: (_e, msg) => msg.respond(json(service.handle(msg))) });
    await responder.flush();
    return service;
  }

  async function client(options: Parameters<typeof CofferClient.connect>[0]) {
    const c = await CofferClient.connect({ url: nats.url, timeoutMs: 2000, ...options });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    responder = await connect({ servers: nats.url, noAsyncTraces: true });
    dir = mkdtempSync(join(tmpdir(), 'coffer-client-auth-'));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await responder?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('obtains a token lazily with a client secret and sends it as Authorization: Bearer on every request', async () => {
    const service = await serve(fakeAuthService());
    const c = await client({ credentials: { clientId: ID, clientSecret: SECRET } });
    expect(service.log).toHaveLength(0); // nothing until the first request
    await c.status();
    await expect(c.auth.whoami()).resolves.toMatchObject({ principal: { id: ID } });
    expect(service.log.map((l) => [l.subject, l.authorization])).toEqual([
      [AuthSubjects.token, undefined],
      [Subjects.status, 'Bearer tok-1'],
      [AuthSubjects.whoami, 'Bearer tok-1'],
    ]);
    expect(service.log[0].body).toEqual({ clientId: ID, clientSecret: SECRET });
  });

  it('signs a challenge with an nkey seed; the seed never goes on the wire', async () => {
    const { seed, publicKey } = createKeyPair();
    const service = await serve(fakeAuthService(publicKey));
    const c = await client({ credentials: { clientId: ID, seed } });
    await c.status();
    expect(service.log.map((l) => l.subject)).toEqual([AuthSubjects.challenge, AuthSubjects.token, Subjects.status]);
    expect(service.log[2].authorization).toBe('Bearer tok-1');
    expect(JSON.stringify(service.log)).not.toContain(seed);
  });

  it('refreshes the token before it expires (fake clock), sharing one refresh between concurrent requests', async () => {
    const service = await serve(fakeAuthService());
    const clock = { now: 0 };
    const c = await client({ credentials: { clientId: ID, clientSecret: SECRET }, clock: () => clock.now });
    await c.status();
    clock.now += 14 * 60_000 + 30_000; // 30 s left of 15 min
    await Promise.all([c.status(), c.status(), c.status()]);
    const tokenRequests = service.log.filter((l) => l.subject === AuthSubjects.token);
    expect(tokenRequests).toHaveLength(2);
    expect(service.log.filter((l) => l.subject === Subjects.status).map((l) => l.authorization)).toEqual([
      'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2', 'Bearer tok-2',
    ]);
    await expect(c.accessToken()).resolves.toEqual({ token: 'tok-2', expiresOn: new Date(clock.now + 900_000) });
  });

  it('on Unauthorized/TokenExpired refreshes once and retries the request with the same request id', async () => {
    const service = await serve(fakeAuthService());
    const c = await client({ credentials: { clientId: ID, clientSecret: SECRET } });
    await c.status();
    service.state.valid.clear(); // the server now refuses tok-1
    await c.status({ requestId: 'req-42' });
    const statuses = service.log.filter((l) => l.subject === Subjects.status);
    expect(statuses.map((l) => [l.authorization, l.requestId])).toEqual([
      ['Bearer tok-1', expect.any(String)],
      ['Bearer tok-1', 'req-42'],
      ['Bearer tok-2', 'req-42'],
    ]);
  });

  it('a fixed token (credentials.token / COFFER_TOKEN) is sent as is and not retried when refused', async () => {
    const service = await serve(fakeAuthService());
    service.state.valid.add('handed-over');
    const c = await client({ credentials: { token: 'handed-over' } });
    await c.status();
    service.state.valid.clear();
    await expect(c.status()).rejects.toMatchObject({ code: 'Unauthorized', innerCode: 'TokenExpired' });
    expect(service.log.map((l) => l.authorization)).toEqual(['Bearer handed-over', 'Bearer handed-over']);
  });

  it('a wrong secret fails the request with the token error (no loop)', async () => {
    const service = await serve(fakeAuthService());
    const c = await client({ credentials: { clientId: ID, clientSecret: 'wrong-secret-wrong-secret' } });
    await expect(c.status()).rejects.toMatchObject({ code: 'Unauthorized', innerCode: 'InvalidCredential', subject: AuthSubjects.token });
    expect(service.log).toHaveLength(1);
  });

  it('without credentials sends no Authorization header (the existing API)', async () => {
    const service = await serve(fakeAuthService());
    const c = await client({ credentials: false });
    await expect(c.status()).rejects.toMatchObject({ code: 'Unauthorized', innerCode: 'TokenMissing' });
    expect(service.log[0].authorization).toBeUndefined();
  });

  describe('credentials from the environment when connect() is given none', () => {
    const saved = { token: process.env.COFFER_TOKEN, credentials: process.env.COFFER_CREDENTIALS };
    afterEach(() => {
      for (const [key, value] of [['COFFER_TOKEN', saved.token], ['COFFER_CREDENTIALS', saved.credentials]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });

    it('COFFER_CREDENTIALS: a credentials file like admin.credentials', async () => {
      const file = join(dir, 'admin.credentials');
      writeFileSync(file, JSON.stringify({ clientId: ID, clientSecret: SECRET }), { mode: 0o600 });
      delete process.env.COFFER_TOKEN;
      process.env.COFFER_CREDENTIALS = file;
      const service = await serve(fakeAuthService());
      await (await client({})).status();
      expect(service.log.map((l) => l.authorization)).toEqual([undefined, 'Bearer tok-1']);
    });

    it('COFFER_TOKEN wins over COFFER_CREDENTIALS', async () => {
      process.env.COFFER_TOKEN = 'from-env';
      process.env.COFFER_CREDENTIALS = join(dir, 'does-not-matter');
      const service = await serve(fakeAuthService());
      service.state.valid.add('from-env');
      await (await client({})).status();
      expect(service.log.map((l) => l.authorization)).toEqual(['Bearer from-env']);
    });
  });
});
