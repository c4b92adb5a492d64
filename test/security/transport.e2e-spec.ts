import { CofferClient } from '@coffer/client';
import { AuditStreams, RotationHookTags, Streams, Subjects } from '@coffer/contracts';
import { STREAM_PROTECTION } from '@coffer/event-store';
import { CofferStack, connectTo, startCofferStack } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { adminCredentials } from '../auth-helpers';

/**
 * Issue 9, defects 1 and 2, against real processes started as `npm start` starts them (a NATS user
 * per app, provisioned streams), attacked with the shared client NATS credentials only.
 */
const VAULT = 'prod';
const VICTIM = 'victim-app';

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('transport security: reply subjects and rotation hooks (real processes, client credentials)', () => {
  let stack: CofferStack;
  let admin: CofferClient;
  let attacker: NatsConnection;
  let inspector: NatsConnection;

  const counts = async () => {
    const jsm = await inspector.jetstreamManager();
    const state = async (name: string) => (await jsm.streams.info(name)).state;
    return {
      events: (await state(Streams.events.name)).messages,
      keyring: (await state(Streams.keyring.name)).messages,
      auditFirst: (await state(AuditStreams.records.name)).first_seq,
      auditMessages: (await state(AuditStreams.records.name)).messages,
      checkpoints: (await state(AuditStreams.checkpoints.name)).messages,
    };
  };

  beforeAll(async () => {
    stack = await startCofferStack({ extraClients: [VICTIM], env: { COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '200' } });
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 20_000 });
    await admin.vaults.create(VAULT);
    await admin.secrets(VAULT).set('db', 's3cret');
    attacker = await connectTo(stack.clientUrl);
    // TEST-ONLY full access, to count stream messages; no app connects as this user.
    inspector = await connectTo(stack.adminUrl);
    await until('a signed audit checkpoint', async () => (await counts()).checkpoints > 0);
  });
  afterAll(async () => {
    await attacker?.close();
    await inspector?.close();
    await admin?.close();
    await stack?.stop();
  });

  it('the streams of a fresh deployment carry deny_purge / deny_delete', async () => {
    const jsm = await inspector.jetstreamManager();
    for (const [name, protection] of Object.entries(STREAM_PROTECTION)) {
      const { config } = await jsm.streams.info(name);
      expect({ name, deny_purge: config.deny_purge ?? false, deny_delete: config.deny_delete ?? false })
        .toEqual({ name, deny_purge: false, deny_delete: false, ...protection });
    }
  });

  it('reply-subject injection (purge the keyring / audit, write into the event log or audit trail) fails and changes nothing', async () => {
    const before = await counts();
    const injected = [
      `$JS.API.STREAM.PURGE.${Streams.keyring.name}`, `$JS.API.STREAM.PURGE.${AuditStreams.records.name}`,
      `$JS.API.STREAM.PURGE.${AuditStreams.checkpoints.name}`, `$JS.API.STREAM.DELETE.${Streams.keyring.name}`,
      `$JS.API.STREAM.MSG.DELETE.${Streams.keyring.name}`, Streams.events.secret(VAULT, 'db'), AuditStreams.records.subject(VAULT),
      'coffer.internal.crypto.datakey.unwrap', '_INBOX_coffer-client.*', '_INBOX_coffer-client.>', '_INBOX.x.y',
    ];
    const secretGet = `coffer.v1.vault.${VAULT}.secret.get`;
    for (const reply of injected) {
      attacker.publish(Subjects.status, Buffer.from('{}'), { reply });
      attacker.publish(secretGet, Buffer.from('{"name":"db"}'), { reply });
    }
    // Messages of one connection reach the vault in order and a drop happens before any work: once a
    // later request from the same connection is answered, every injected one has been dropped.
    const answered = await attacker.request(Subjects.status, Buffer.from('{}'), { timeout: 10_000 });
    expect(JSON.parse(Buffer.from(answered.data).toString()).vault.ok).toBe(true);
    const after = await counts();
    expect({ ...after, auditMessages: undefined, checkpoints: undefined }).toEqual({ ...before, auditMessages: undefined, checkpoints: undefined });
    // Nothing purged: audit records (the refusals are audited) and checkpoints (the audit app signs them as records come) may only be added.
    expect(after.auditMessages).toBeGreaterThanOrEqual(before.auditMessages);
    expect(after.checkpoints).toBeGreaterThanOrEqual(before.checkpoints);
    // Secrets still readable; the projector still healthy (a new write is read back).
    expect((await admin.secrets(VAULT).get('db')).value).toBe('s3cret');
    await admin.secrets(VAULT).set('after-attack', 'ok');
    expect((await admin.secrets(VAULT).get('after-attack')).value).toBe('ok');
    const status = await admin.status();
    expect(status.projector).toMatchObject({ ok: true, lag: 0 });
    expect(stack.logs('vault')).toContain('reply subject is not a caller inbox');
    expect(stack.logs('vault')).not.toContain('s3cret');
    // The vault audits the refusal (rate-limited), as an anonymous denied request.
    const record = await until('the refusal in the audit trail', async () => {
      for await (const r of admin.audit.query({ outcome: 'denied' })) if (r.errorCode === 'ReplySubjectRefused') return r;
      return undefined;
    });
    expect(record).toMatchObject({ principal: null, outcome: 'denied' });
  });

  it('a client cannot read another client\'s replies: a reply aimed at its inbox never reaches its requests', async () => {
    const victim = await CofferClient.connect({ url: stack.nats.extraClientUrls[VICTIM], credentials: adminCredentials(stack.home), timeoutMs: 20_000 });
    try {
      // The attacker may not listen on the victim's inbox (the server refuses the subscription)…
      const sub = attacker.subscribe(`_INBOX_${VICTIM}.>`);
      await until('the refused subscription to close', async () => sub.isClosed());
      // …and replies it steers at the victim's inbox prefix match no request the victim made.
      for (let i = 0; i < 20; i++) attacker.publish(Subjects.status, Buffer.from('{}'), { reply: `_INBOX_${VICTIM}.guess.${i}` });
      await attacker.flush();
      const results = await Promise.all(Array.from({ length: 10 }, () => victim.secrets(VAULT).get('db')));
      expect(results.map((r) => r.value)).toEqual(Array(10).fill('s3cret'));
    } finally {
      await victim.close();
    }
  });

  it('rotation-hook redirect: a hook subject outside coffer.hooks.<vault>. is refused (BadParameter) and the checkpoints stay', async () => {
    const before = await counts();
    const secrets = admin.secrets(VAULT);
    const interval = { [RotationHookTags.interval]: 'PT1S' };
    for (const subject of [
      `$JS.API.STREAM.PURGE.${AuditStreams.checkpoints.name}`, Streams.events.secret(VAULT, 'db'), 'coffer.hooks.other-vault.pg',
      `coffer.hooks.${VAULT}`, `coffer.hooks.${VAULT}.>`, `coffer.hooks.${VAULT}.*`, `coffer.hooks.${VAULT}..x`, 'coffer.v1.status',
    ]) {
      const tags = { [RotationHookTags.subject]: subject, ...interval };
      const refused = { code: 'BadParameter', innerCode: 'InvalidHookSubject' };
      await expect(secrets.set('hooked', 'v1', { tags })).rejects.toMatchObject(refused);
      await expect(secrets.updateProperties('db', undefined, { tags })).rejects.toMatchObject(refused);
    }
    expect((await secrets.get('db')).tags?.[RotationHookTags.subject]).toBeUndefined();
    // A hook in the vault's own namespace is accepted.
    const ok = await secrets.set('hooked', 'v1', { tags: { [RotationHookTags.subject]: `coffer.hooks.${VAULT}.postgres`, ...interval } });
    expect(ok.tags?.[RotationHookTags.subject]).toBe(`coffer.hooks.${VAULT}.postgres`);
    const after = await counts();
    expect(after.checkpoints).toBeGreaterThanOrEqual(before.checkpoints);
    expect(after.auditFirst).toBe(before.auditFirst);
  });
});
