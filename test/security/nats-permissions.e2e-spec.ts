import { loadConfig, NATS_USERS } from '@coffer/config';
import { AuditStreams, Streams } from '@coffer/contracts';
import { auditStreamConfigs } from '@coffer/audit';
import { COFFER_STREAM_CONFIGS, provisionStreams, STREAM_PROTECTION, StreamLimitBelowContent } from '@coffer/event-store';
import { SpawnedNats, startNatsServer } from '@coffer/testing';
import { connect, DiscardPolicy, ErrorCode, Events, NatsConnection, NatsError } from 'nats';

/**
 * Issue 9, least privilege on the bus: the permission matrix of the embedded configuration
 * (infra/nats/coffer.conf.template, rendered as start.sh renders it), each NATS user × each
 * sensitive subject, decided by nats-server itself (its permissions-violation errors). The expected
 * matrix below IS the design: a change to the template that widens a user fails here.
 *
 * The server has no streams, so an allowed JetStream API publish (by the admin, or the vault's
 * keyring delete) touches nothing; the stream protection is proven further down.
 */

const HOOK_USER = 'pg-hook';
const HOOK_VAULT = 'demo';
const EXTRA_CLIENT = 'billing-app';
const STREAMS = [
  Streams.events.name, Streams.keyring.name, AuditStreams.records.name, AuditStreams.checkpoints.name,
  'KV_COFFER_AUTH_NONCES', 'KV_COFFER_SCHEDULER_LEASE', 'KV_COFFER_DEV_TIME',
];

const inbox = (user: string) => `_INBOX_${user}.x1.y2`;
const PUBLISH: string[] = [
  ...STREAMS.flatMap((s) => [`$JS.API.STREAM.PURGE.${s}`, `$JS.API.STREAM.DELETE.${s}`, `$JS.API.STREAM.UPDATE.${s}`, `$JS.API.STREAM.MSG.DELETE.${s}`]),
  '$JS.API.STREAM.CREATE.EVIL', '$JS.API.CONSUMER.DELETE.COFFER_EVENTS.coffer-projector', '$JS.API.CONSUMER.DELETE.COFFER_AUDIT.coffer-audit',
  'coffer.events.prod.secret.db', 'coffer.events._system.principal.p1', 'coffer.keyring.prod.secret.db', 'coffer.audit.records.prod', 'coffer.audit.checkpoints',
  'coffer.internal.crypto.sign', 'coffer.internal.crypto.datakey.unwrap', 'coffer.internal.audit.query', 'coffer.internal.projector.status',
  'coffer.internal.projector.applied', 'coffer.internal.scheduler.status',
  'coffer.v1.status', `coffer.hooks.${HOOK_VAULT}.postgres`, 'coffer.hooks.other.postgres',
  inbox(NATS_USERS.client), inbox(EXTRA_CLIENT), inbox(NATS_USERS.vault), inbox(NATS_USERS.audit), inbox(NATS_USERS.scheduler),
  inbox(NATS_USERS.schedulerHooks), inbox(NATS_USERS.admin), '_INBOX.x1.y2',
];
const SUBSCRIBE: string[] = [
  '>', '$JS.API.>', 'coffer.events.>', 'coffer.keyring.>', 'coffer.audit.>', 'coffer.v1.>', 'coffer.internal.crypto.>', 'coffer.internal.audit.>',
  'coffer.internal.projector.status', 'coffer.internal.projector.applied', 'coffer.internal.scheduler.status',
  'coffer.hooks.>', `coffer.hooks.${HOOK_VAULT}.>`,
  `_INBOX_${NATS_USERS.client}.>`, `_INBOX_${EXTRA_CLIENT}.>`, `_INBOX_${NATS_USERS.vault}.>`, `_INBOX_${NATS_USERS.audit}.>`,
  `_INBOX_${NATS_USERS.scheduler}.>`, `_INBOX_${NATS_USERS.schedulerHooks}.>`, '_INBOX.>',
];

/** The design: what each user may do among the subjects above (everything else is refused). */
const ALLOWED: Record<string, { publish: string[]; subscribe: string[] }> = {
  [NATS_USERS.admin]: { publish: PUBLISH, subscribe: SUBSCRIBE },
  [NATS_USERS.vault]: {
    publish: [
      '$JS.API.STREAM.MSG.DELETE.COFFER_KEYRING', // the shredder: erases wrapped data keys, nothing else
      'coffer.events.prod.secret.db', 'coffer.events._system.principal.p1', 'coffer.keyring.prod.secret.db', 'coffer.audit.records.prod',
      'coffer.internal.crypto.sign', 'coffer.internal.crypto.datakey.unwrap', 'coffer.internal.audit.query', 'coffer.internal.projector.status',
      'coffer.internal.scheduler.status',
    ],
    subscribe: ['coffer.internal.projector.applied', `_INBOX_${NATS_USERS.vault}.>`],
  },
  [NATS_USERS.vaultResponder]: {
    publish: [inbox(NATS_USERS.client), inbox(EXTRA_CLIENT), inbox(NATS_USERS.scheduler)],
    subscribe: ['coffer.v1.>'],
  },
  [NATS_USERS.cryptoWorker]: { publish: [inbox(NATS_USERS.vault), inbox(NATS_USERS.audit)], subscribe: ['coffer.internal.crypto.>'] },
  [NATS_USERS.projector]: {
    publish: ['$JS.API.CONSUMER.DELETE.COFFER_EVENTS.coffer-projector', 'coffer.internal.projector.applied', inbox(NATS_USERS.vault)],
    subscribe: ['coffer.internal.projector.status'],
  },
  [NATS_USERS.audit]: {
    publish: ['$JS.API.CONSUMER.DELETE.COFFER_AUDIT.coffer-audit', 'coffer.audit.checkpoints', 'coffer.internal.crypto.sign'],
    subscribe: [`_INBOX_${NATS_USERS.audit}.>`],
  },
  [NATS_USERS.auditResponder]: { publish: [inbox(NATS_USERS.vault)], subscribe: ['coffer.internal.audit.>'] },
  [NATS_USERS.scheduler]: {
    publish: ['coffer.v1.status', inbox(NATS_USERS.vault)],
    subscribe: ['coffer.internal.scheduler.status', `_INBOX_${NATS_USERS.scheduler}.>`],
  },
  [NATS_USERS.schedulerHooks]: {
    publish: [`coffer.hooks.${HOOK_VAULT}.postgres`, 'coffer.hooks.other.postgres'],
    subscribe: [`_INBOX_${NATS_USERS.schedulerHooks}.>`],
  },
  [NATS_USERS.client]: { publish: ['coffer.v1.status'], subscribe: [`_INBOX_${NATS_USERS.client}.>`] },
  [EXTRA_CLIENT]: { publish: ['coffer.v1.status'], subscribe: [`_INBOX_${EXTRA_CLIENT}.>`] },
  [HOOK_USER]: { publish: [inbox(NATS_USERS.schedulerHooks)], subscribe: [`coffer.hooks.${HOOK_VAULT}.>`] },
};

/** Violations the server reported on a connection, as `publish <subject>` / `subscription <subject>`. */
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

/**
 * What the server allows `user` among PUBLISH and SUBSCRIBE. The server answers a refused PUB/SUB
 * with -ERR before the PONG of the flush that follows it, so each flush is the condition waited for
 * (plus one macrotask: nats.js hands the error to the status iterator in microtasks).
 */
const settled = async (nc: NatsConnection) => {
  await nc.flush();
  await new Promise((r) => setImmediate(r));
};
async function observedRights(nats: SpawnedNats, user: string): Promise<{ publish: string[]; subscribe: string[] }> {
  const nc = await connect({ ...nats.connectOptions(user), reconnect: false });
  const seen = violations(nc);
  const publish: string[] = [];
  const subscribe: string[] = [];
  try {
    for (const subject of PUBLISH) {
      const before = seen.length;
      nc.publish(subject, Buffer.from('{"seq":999999999}'));
      await settled(nc);
      if (!seen.slice(before).includes(`publish ${subject}`)) publish.push(subject);
    }
    for (const subject of SUBSCRIBE) {
      const before = seen.length;
      const sub = nc.subscribe(subject, { callback: (_e: NatsError | null) => undefined });
      await settled(nc);
      if (!seen.slice(before).includes(`subscription ${subject}`)) subscribe.push(subject);
      if (!sub.isClosed()) sub.unsubscribe();
    }
  } finally {
    await nc.close();
  }
  return { publish, subscribe };
}

describe('NATS permission matrix of the embedded configuration (issue 9)', () => {
  let nats: SpawnedNats;

  beforeAll(async () => {
    nats = await startNatsServer({ auth: true, extraClients: [EXTRA_CLIENT], hookUsers: { [HOOK_USER]: HOOK_VAULT } });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('covers every user of the template and the added ones', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual(Object.keys(nats.users).sort());
  });

  it.each(Object.keys(ALLOWED))('%s may do exactly what the design says', async (user) => {
    const observed = await observedRights(nats, user);
    expect(observed).toEqual({ publish: ALLOWED[user].publish, subscribe: ALLOWED[user].subscribe });
  });

  it('no app or client user may purge, delete or update any stream, and only the vault deletes messages, only from the keyring', async () => {
    for (const [user, { publish }] of Object.entries(ALLOWED)) {
      if (user === NATS_USERS.admin) continue;
      expect(publish.filter((s) => /^\$JS\.API\.STREAM\.(PURGE|DELETE|UPDATE|CREATE)\./.test(s))).toEqual([]);
      const deletes = publish.filter((s) => s.startsWith('$JS.API.STREAM.MSG.DELETE.'));
      expect(deletes).toEqual(user === NATS_USERS.vault ? ['$JS.API.STREAM.MSG.DELETE.COFFER_KEYRING'] : []);
    }
  });
});

describe('stream protection: deny_purge / deny_delete (issue 9)', () => {
  let nats: SpawnedNats;
  let admin: NatsConnection;
  const configs = [...COFFER_STREAM_CONFIGS, ...auditStreamConfigs(loadConfig({}).audit)];

  beforeEach(async () => {
    nats = await startNatsServer({ auth: true });
    admin = await connect(nats.connectOptions('admin'));
  });
  afterEach(async () => {
    await admin?.close();
    await nats?.stop();
  });

  const protectionOf = async (name: string) => {
    const { config } = await (await admin.jetstreamManager()).streams.info(name);
    return { deny_purge: config.deny_purge ?? false, deny_delete: config.deny_delete ?? false };
  };
  const expected = (name: string) => ({ deny_purge: false, deny_delete: false, ...STREAM_PROTECTION[name] });

  it('a fresh deployment gets every stream with its protection, and even the admin cannot purge or delete messages', async () => {
    const jsm = await admin.jetstreamManager();
    const report = await provisionStreams(jsm, configs);
    expect(report.created.sort()).toEqual(Object.keys(STREAM_PROTECTION).sort());
    for (const name of Object.keys(STREAM_PROTECTION)) expect(await protectionOf(name)).toEqual(expected(name));
    const js = admin.jetstream();
    await js.publish(Streams.events.secret('v', 's'), Buffer.from('{}'));
    await js.publish(AuditStreams.records.subject('v'), Buffer.from('{}'));
    const keyring = await js.publish(Streams.keyring.secret('v', 's'), Buffer.from('{}'));
    for (const name of [Streams.events.name, Streams.keyring.name, AuditStreams.records.name, AuditStreams.checkpoints.name]) {
      await expect(jsm.streams.purge(name)).rejects.toThrow(/purge/i);
    }
    await expect(jsm.streams.deleteMessage(Streams.events.name, 1)).rejects.toThrow(/delete/i);
    await expect(jsm.streams.deleteMessage(AuditStreams.records.name, 1)).rejects.toThrow(/delete/i);
    // The keyring allows the shredder's secure erase.
    await expect(jsm.streams.deleteMessage(Streams.keyring.name, keyring.seq, true)).resolves.toBe(true);
    expect((await jsm.streams.info(Streams.events.name)).state.messages).toBe(1);
    expect((await jsm.streams.info(AuditStreams.records.name)).state.messages).toBe(1);
  });

  it('upgrades a deployment created the old way (no protection), keeping its data and its tuned settings; the protection cannot be turned off again', async () => {
    const jsm = await admin.jetstreamManager();
    // Created as the previous Coffer did, with an operator's tuning on one stream.
    for (const c of configs) {
      const { deny_purge: _p, deny_delete: _d, ...old } = c;
      await jsm.streams.add({ ...old, ...(c.name === AuditStreams.records.name ? { max_msgs_per_subject: 1_000_000 } : {}) });
    }
    const js = admin.jetstream();
    for (let i = 0; i < 3; i++) await js.publish(Streams.events.secret('v', `s${i}`), Buffer.from('{}'));
    await js.publish(AuditStreams.checkpoints.subject, Buffer.from('{}'));
    for (const name of Object.keys(STREAM_PROTECTION)) expect(await protectionOf(name)).toEqual({ deny_purge: false, deny_delete: false });

    const report = await provisionStreams(jsm, configs);
    expect(report).toEqual({ created: [], upgraded: Object.keys(STREAM_PROTECTION), limited: [] });
    for (const name of Object.keys(STREAM_PROTECTION)) expect(await protectionOf(name)).toEqual(expected(name));
    expect((await jsm.streams.info(Streams.events.name)).state.messages).toBe(3);
    expect((await jsm.streams.info(AuditStreams.checkpoints.name)).state.messages).toBe(1);
    expect((await jsm.streams.info(AuditStreams.records.name)).config.max_msgs_per_subject).toBe(1_000_000);
    await expect(jsm.streams.purge(AuditStreams.checkpoints.name)).rejects.toThrow(/purge/i);
    // nats-server 2.9 refuses an update that turns the protection off, whoever asks.
    const { config } = await jsm.streams.info(Streams.events.name);
    await expect(jsm.streams.update(Streams.events.name, { ...config, deny_purge: false, deny_delete: false })).rejects.toThrow(/deny/i);
    // Idempotent.
    expect(await provisionStreams(jsm, configs)).toEqual({ created: [], upgraded: [], limited: [] });
  });

  it('audit records cannot be purged or deleted: no app user has the right, and the admin is refused by the streams (also after upgrading an unprotected deployment)', async () => {
    const jsm = await admin.jetstreamManager();
    // As the audit branch before provisioning took over: limited streams an app created, without protection.
    const unprotected = auditStreamConfigs({ streamMaxBytes: 1024 ** 2, streamMaxMessages: 1000, checkpointsMaxBytes: 1024 ** 2 })
      .map(({ deny_purge: _p, deny_delete: _d, ...old }) => old);
    for (const c of unprotected) await jsm.streams.add(c);
    const js = admin.jetstream();
    for (let i = 0; i < 3; i++) await js.publish(AuditStreams.records.subject('v'), Buffer.from(`{"i":${i}}`));
    await js.publish(AuditStreams.checkpoints.subject, Buffer.from('{}'));

    const report = await provisionStreams(jsm, configs);
    expect(report.upgraded).toEqual([AuditStreams.records.name, AuditStreams.checkpoints.name]);
    expect(report.limited).toEqual([AuditStreams.records.name, AuditStreams.checkpoints.name]); // the configured (default) limits
    const defaults = loadConfig({}).audit;
    expect((await jsm.streams.info(AuditStreams.records.name)).config).toMatchObject({
      deny_purge: true, deny_delete: true, discard: DiscardPolicy.New, max_bytes: defaults.streamMaxBytes, max_msgs: defaults.streamMaxMessages,
    });

    const audit = [AuditStreams.records.name, AuditStreams.checkpoints.name];
    for (const name of audit) {
      await expect(jsm.streams.purge(name)).rejects.toThrow(/purge/i);
      await expect(jsm.streams.deleteMessage(name, 1)).rejects.toThrow(/delete/i);
      await expect(jsm.streams.deleteMessage(name, 1, false)).rejects.toThrow(/delete/i);
    }
    // Every other user: nats-server refuses the API request itself (a permissions violation).
    for (const user of Object.values(NATS_USERS).filter((u) => u !== NATS_USERS.admin)) {
      const nc = await connect({ ...nats.connectOptions(user), reconnect: false });
      const seen = violations(nc);
      try {
        const userJsm = await nc.jetstreamManager({ checkAPI: false, timeout: 2_000 });
        for (const name of audit) {
          await expect(userJsm.streams.purge(name)).rejects.toBeDefined();
          await expect(userJsm.streams.deleteMessage(name, 1)).rejects.toBeDefined();
          await settled(nc);
          expect(seen).toEqual(expect.arrayContaining([`publish $JS.API.STREAM.PURGE.${name}`, `publish $JS.API.STREAM.MSG.DELETE.${name}`]));
        }
      } finally {
        await nc.close();
      }
    }
    expect((await jsm.streams.info(AuditStreams.records.name)).state).toMatchObject({ messages: 3, first_seq: 1 });
    expect((await jsm.streams.info(AuditStreams.checkpoints.name)).state).toMatchObject({ messages: 1, first_seq: 1 });
  }, 120_000);

  it('provisioning refuses a limit below what an audit stream holds (nats-server would drop the oldest records to apply it)', async () => {
    const jsm = await admin.jetstreamManager();
    await provisionStreams(jsm, configs);
    const js = admin.jetstream();
    for (let i = 0; i < 20; i++) await js.publish(AuditStreams.records.subject('v'), Buffer.from(`{"i":${i}}`));
    const tight = [...COFFER_STREAM_CONFIGS, ...auditStreamConfigs({ streamMaxBytes: 1024 ** 2, streamMaxMessages: 16, checkpointsMaxBytes: 1024 ** 2 })];
    await expect(provisionStreams(jsm, tight)).rejects.toBeInstanceOf(StreamLimitBelowContent);
    expect((await jsm.streams.info(AuditStreams.records.name)).state).toMatchObject({ messages: 20, first_seq: 1 });
    // Above the content it is applied: the stream is then full and refuses new records, keeping the old ones.
    const atContent = [...COFFER_STREAM_CONFIGS, ...auditStreamConfigs({ streamMaxBytes: 1024 ** 2, streamMaxMessages: 20, checkpointsMaxBytes: 1024 ** 2 })];
    expect((await provisionStreams(jsm, atContent)).limited).toEqual([AuditStreams.records.name, AuditStreams.checkpoints.name]);
    await expect(js.publish(AuditStreams.records.subject('v'), Buffer.from('{}'))).rejects.toThrow(); // maximum messages exceeded
    expect((await jsm.streams.info(AuditStreams.records.name)).state).toMatchObject({ messages: 20, first_seq: 1 });
  });
});
