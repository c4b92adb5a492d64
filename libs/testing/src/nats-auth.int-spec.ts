import { loadConfig, natsClientOptions, natsConnectOptions } from '@coffer/config';
import { InternalSubjects, Streams, Subjects } from '@coffer/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, ErrorCode, Events, NatsConnection, NatsError } from 'nats';
import { SpawnedNats, startNatsServer } from './nats-server';
import { createTlsFixture, TlsFixture } from './tls-fixture';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Collects the permissions violations the server reports on a connection (`-ERR 'Permissions
 * Violation for Publish to "…"'`; nats.js turns each into an error status with its context), as
 * `publish <subject>` / `subscription <subject>`.
 */
function violations(nc: NatsConnection): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      const ctx = (s as { permissionContext?: { operation: string; subject: string } }).permissionContext;
      if (s.type === Events.Error && s.data === ErrorCode.PermissionsViolation && ctx) seen.push(`${ctx.operation} ${ctx.subject}`);
    }
  })();
  return seen;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await delay(20);
}

/**
 * Issue 3, transport security: the embedded NATS configuration (infra/nats/coffer.conf.template,
 * rendered by startNatsServer({ auth: true })) lets a client only request on coffer.v1.> and read
 * its inbox; the server itself refuses everything else.
 */
describe('NATS authentication and client permissions (embedded configuration)', () => {
  let nats: SpawnedNats;
  let internal: NatsConnection;
  let client: NatsConnection;
  let clientViolations: string[];

  beforeAll(async () => {
    nats = await startNatsServer({ auth: true, extraClients: ['billing-app'] });
    internal = await connect(nats.connectOptions('admin'));
    // The internal side creates Coffer's streams and answers a public and an internal subject.
    const jsm = await internal.jetstreamManager();
    for (const s of [Streams.events, Streams.keyring]) await jsm.streams.add({ name: s.name, subjects: [...s.subjects] });
    internal.subscribe(Subjects.status, { callback: (_e, m) => m.respond(Buffer.from('{"ok":true}')) });
    client = await connect(nats.connectOptions('client'));
    clientViolations = violations(client);
  });
  afterAll(async () => {
    await client?.close();
    await internal?.close();
    await nats?.stop();
  });

  it('a client request on a public subject reaches the responder and gets its reply', async () => {
    const reply = await client.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 });
    expect(JSON.parse(Buffer.from(reply.data).toString())).toEqual({ ok: true });
  });

  it('the client URL (as in nats.url) connects through the SDK options', async () => {
    const nc = await connect(natsClientOptions(nats.clientUrl, {}));
    await expect(nc.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 })).resolves.toBeDefined();
    await nc.close();
  });

  it('refuses a client publish to a crypto-worker subject: the worker never gets it', async () => {
    const received: string[] = [];
    const sub = internal.subscribe(`${InternalSubjects.cryptoPrefix}.>`, { callback: (_e, m) => received.push(m.subject) });
    await internal.flush();
    const before = clientViolations.length;
    client.publish(InternalSubjects.crypto('status'), Buffer.from('{}'));
    await client.flush();
    await until(() => clientViolations.length > before);
    await internal.flush();
    await delay(200);
    expect(clientViolations.slice(before).join('\n')).toContain(`publish ${InternalSubjects.crypto('status')}`);
    expect(received).toEqual([]);
    // The same publish from the admin user arrives: the subscriber was listening.
    internal.publish(InternalSubjects.crypto('status'), Buffer.from('{}'));
    await until(() => received.length > 0);
    expect(received).toEqual([InternalSubjects.crypto('status')]);
    sub.unsubscribe();
  });

  it('refuses a client request to an internal subject (no reply, a violation)', async () => {
    internal.subscribe(InternalSubjects.projectorStatus, { callback: (_e, m) => m.respond(Buffer.from('{}')) });
    await internal.flush();
    const before = clientViolations.length;
    await expect(client.request(InternalSubjects.projectorStatus, Buffer.from('{}'), { timeout: 1000 })).rejects.toBeDefined();
    await until(() => clientViolations.length > before);
    expect(clientViolations.slice(before).join('\n')).toContain(`publish ${InternalSubjects.projectorStatus}`);
  });

  it('refuses the JetStream API on Coffer streams to a client', async () => {
    const before = clientViolations.length;
    await expect(
      client.request(`$JS.API.STREAM.INFO.${Streams.events.name}`, Buffer.from(''), { timeout: 1000 }),
    ).rejects.toBeDefined();
    await until(() => clientViolations.length > before);
    expect(clientViolations.slice(before).join('\n')).toContain('publish $JS.API.STREAM.INFO.COFFER_EVENTS');
    // Also through the JetStream client: no stream info, no direct get of a keyring message.
    await expect(
      client.jetstreamManager({ timeout: 1000 }).then((jsm) => jsm.streams.info(Streams.keyring.name)),
    ).rejects.toMatchObject({ code: ErrorCode.PermissionsViolation });
    await expect(
      client.jetstreamManager({ timeout: 1000, checkAPI: false }).then((jsm) => jsm.streams.getMessage(Streams.keyring.name, { seq: 1 })),
    ).rejects.toBeDefined();
    // The admin user can (the stream exists).
    expect((await (await internal.jetstreamManager()).streams.info(Streams.events.name)).config.name).toBe(Streams.events.name);
  });

  it('refuses a client publish into an event stream subject', async () => {
    const jsm = await internal.jetstreamManager();
    const before = clientViolations.length;
    client.publish(Streams.events.secret('v', 'db'), Buffer.from('{"type":"Forged"}'));
    await client.flush();
    await until(() => clientViolations.length > before);
    expect(clientViolations.slice(before).join('\n')).toContain('publish coffer.events.v.secret.db');
    expect((await jsm.streams.info(Streams.events.name)).state.messages).toBe(0);
  });

  it.each(['coffer.events.>', 'coffer.keyring.>', 'coffer.audit.>', 'coffer.internal.>', '>', '$JS.API.>', '_INBOX.>', '_INBOX_billing-app.>'])(
    'refuses a client subscription to %s, and delivers nothing on it',
    async (subject) => {
      const before = clientViolations.length;
      const got: string[] = [];
      const errors: string[] = [];
      // nats.js hands the refusal to the subscription's callback and closes it.
      const sub = client.subscribe(subject, { callback: (e: NatsError | null, m) => (e ? errors.push(e.code) : got.push(m.subject)) });
      await client.flush();
      await until(() => clientViolations.length > before);
      expect(clientViolations.slice(before).join('\n')).toContain(`subscription ${subject}`);
      internal.publish(subject === '>' || subject === '$JS.API.>' ? 'coffer.events.x.vault' : subject.replace('>', 'x.y'), Buffer.from('{}'));
      await internal.flush();
      await delay(200);
      expect(got).toEqual([]);
      expect(errors).toEqual([ErrorCode.PermissionsViolation]);
      expect(sub.isClosed()).toBe(true);
    },
  );

  it('each client user gets replies on its own inbox only: no client can read another\'s replies', async () => {
    const other = await connect(natsClientOptions(nats.extraClientUrls['billing-app'], {}));
    const otherViolations = violations(other);
    try {
      // Both can make requests (their SDK options carry their own inbox prefix)…
      expect(JSON.parse(Buffer.from((await other.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 })).data).toString())).toEqual({ ok: true });
      expect(JSON.parse(Buffer.from((await client.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 })).data).toString())).toEqual({ ok: true });
      // …but neither may listen on the other's inbox, nor on the shared default prefix.
      for (const subject of ['_INBOX_coffer-client.>', '_INBOX.>']) {
        const before = otherViolations.length;
        const got: string[] = [];
        other.subscribe(subject, { callback: (e, m) => e || got.push(m.subject) });
        await other.flush();
        await until(() => otherViolations.length > before);
        expect(otherViolations.slice(before).join('\n')).toContain(`subscription ${subject}`);
        await client.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 });
        await delay(100);
        expect(got).toEqual([]);
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a connection with a wrong password, the wrong user or none', async () => {
    const attempt = (o: { user?: string; pass?: string }) => connect({ servers: nats.address, reconnect: false, ...o });
    await expect(attempt({ user: 'coffer-client', pass: 'wrong' })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    await expect(attempt({ user: 'coffer-vault', pass: nats.clientAuth!.pass })).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
    await expect(attempt({})).rejects.toMatchObject({ code: ErrorCode.AuthorizationViolation });
  });

  it('connects the internal apps with COFFER_NATS_USER/PASSWORD(_FILE) via natsConnectOptions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-pass-'));
    try {
      const passwordFile = join(dir, 'coffer-vault.pass');
      writeFileSync(passwordFile, `${nats.users['coffer-vault'].pass}\n`, { mode: 0o600 });
      const { COFFER_NATS_PASSWORD: _password, ...env } = nats.appEnv('vault');
      const config = loadConfig({ COFFER_HOME: dir, ...env, COFFER_NATS_PASSWORD_FILE: passwordFile });
      expect(config.nats).toMatchObject({ user: 'coffer-vault', password: nats.users['coffer-vault'].pass });
      expect(config.natsResponder).toMatchObject({ user: 'coffer-vault-responder', password: nats.users['coffer-vault-responder'].pass });
      const nc = await connect({ ...natsConnectOptions(config, 'test-internal'), reconnect: false });
      await expect((await nc.jetstreamManager()).streams.info(Streams.events.name)).resolves.toBeDefined();
      await nc.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NATS over TLS with a CA made by the test', () => {
  let pki: TlsFixture;
  let nats: SpawnedNats;

  beforeAll(async () => {
    pki = createTlsFixture();
    nats = await startNatsServer({ auth: true, tls: pki });
  });
  afterAll(async () => {
    await nats?.stop();
    pki?.remove();
  });

  it('a client trusting the CA connects over TLS and gets replies', async () => {
    const internal = await connect(nats.connectOptions('admin'));
    internal.subscribe(Subjects.status, { callback: (_e, m) => m.respond(Buffer.from('{"ok":true}')) });
    await internal.flush();
    const client = await connect({ ...natsClientOptions(nats.clientUrl, { COFFER_NATS_TLS_CA: pki.caFile }), reconnect: false });
    expect(client.info?.tls_required).toBe(true);
    await expect(client.request(Subjects.status, Buffer.from('{}'), { timeout: 2000 })).resolves.toBeDefined();
    await client.close();
    await internal.close();
  });

  it('a client without the CA (system trust) is refused', async () => {
    await expect(connect({ ...natsClientOptions(nats.clientUrl, {}), reconnect: false, timeout: 3000 })).rejects.toThrow(/certificate|self.signed|issuer/i);
  });

  it('a client trusting another CA is refused', async () => {
    await expect(
      connect({ ...natsClientOptions(nats.clientUrl, { COFFER_NATS_TLS_CA: pki.otherCaFile }), reconnect: false, timeout: 3000 }),
    ).rejects.toThrow(/certificate|self.signed|issuer/i);
  });

  it('the internal apps connect with TLS when COFFER_NATS_TLS_* is set (natsConnectOptions)', async () => {
    const config = loadConfig({ COFFER_HOME: '/nonexistent', ...nats.appEnv('vault') });
    const options = natsConnectOptions(config, 'coffer-vault');
    expect(options.tls).toEqual({ caFile: pki.caFile });
    const nc = await connect({ ...options, reconnect: false });
    expect(nc.info?.tls_required).toBe(true);
    await expect(nc.jetstreamManager()).resolves.toBeDefined();
    await nc.close();
  });
});

describe('NATS with mutual TLS (client certificates required)', () => {
  let pki: TlsFixture;
  let nats: SpawnedNats;

  beforeAll(async () => {
    pki = createTlsFixture();
    nats = await startNatsServer({ auth: true, tls: pki, verifyClientCerts: true });
  });
  afterAll(async () => {
    await nats?.stop();
    pki?.remove();
  });

  it('connects with COFFER_NATS_TLS_CERT/KEY and refuses a client without a certificate', async () => {
    const config = loadConfig({ COFFER_HOME: '/nonexistent', ...nats.appEnv('vault') });
    expect(natsConnectOptions(config).tls).toEqual({ caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey });
    const nc = await connect({ ...natsConnectOptions(config), reconnect: false });
    await nc.close();
    await expect(
      connect({ ...natsClientOptions(nats.adminUrl, { COFFER_NATS_TLS_CA: pki.caFile }), reconnect: false, timeout: 3000 }),
    ).rejects.toBeDefined();
  });
});
