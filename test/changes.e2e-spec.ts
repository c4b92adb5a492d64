import { CofferClient } from '@coffer/client';
import { ChangeEvent } from '@coffer/contracts';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';
import { errorOf } from './error-of';

const short = (e: ChangeEvent) => e.type.replace('Coffer.KeyVault.', '');

/** The public change feed end to end: CloudEvents from the log, replayable, filtered, authorized. */
describe('change feed end to end', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  let reader: CofferClient;
  let outsider: CofferClient;
  const marker = 'change-feed-planted-value-93c1';

  const clientWithRole = async (name: string, role?: string, scope = '/vaults/feed'): Promise<CofferClient> => {
    const p = await admin.principals.create(name, 'servicePrincipal');
    const cred = await admin.principals.addCredential(p.id, { kind: 'secret' });
    if (role) await admin.roleAssignments.create({ principalId: p.id, role, scope });
    return CofferClient.connect({ url: stack.nats.url, credentials: { clientId: p.id, clientSecret: cred.clientSecret! } });
  };

  beforeAll(async () => {
    stack = await startInProcessStack();
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home) });
    await admin.vaults.create('feed');
    await admin.vaults.create('other');
    reader = await clientWithRole('feed-reader', 'Coffer Events Reader');
    outsider = await clientWithRole('no-role');
  });
  afterAll(async () => {
    await Promise.all([reader, outsider, admin].map((c) => c?.close()));
    await stack?.stop();
  });

  it('publishes every change to a vault as CloudEvents, in log order, without values', async () => {
    const v1 = await admin.secrets('feed').set('db', marker, { expiresOn: '2030-01-01T00:00:00Z' });
    await admin.secrets('feed').updateProperties('db', v1.version, { enabled: false });
    await admin.secrets('feed').delete('db');
    await admin.secrets('feed').recover('db');
    await admin.secrets('other').set('elsewhere', 'x');

    const page = await reader.changes.fetch({ vault: 'feed' });
    expect(page.events.map(short)).toEqual(['VaultCreated', 'SecretNewVersionCreated', 'SecretUpdated', 'SecretDeleted', 'SecretRecovered']);
    const created = page.events[1];
    expect(created).toMatchObject({
      specversion: '1.0', source: 'coffer://feed', subject: `coffer://feed/secrets/db/${v1.version}`, datacontenttype: 'application/json',
      data: { VaultName: 'feed', ObjectType: 'Secret', ObjectName: 'db', Version: v1.version, EXP: 1893456000 },
    });
    const seqs = page.events.map((e) => e.cofferseq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(JSON.stringify(page.events)).not.toContain(marker);
  });

  it('replays the same events from any cursor, by sequence or by time', async () => {
    const all = (await reader.changes.fetch({ vault: 'feed' })).events;
    const from = all[2];
    const replay = await reader.changes.fetch({ vault: 'feed', from: { sequence: from.cofferseq } });
    expect(replay.events).toEqual(all.slice(2));
    const byTime = await reader.changes.fetch({ vault: 'feed', from: { time: from.time } });
    expect(byTime.events[0].cofferseq).toBeLessThanOrEqual(from.cofferseq);
    expect(byTime.events.map((e) => e.id)).toEqual(expect.arrayContaining(all.slice(2).map((e) => e.id)));
    const caughtUp = await reader.changes.fetch({ vault: 'feed', from: { sequence: replay.next } });
    expect(caughtUp).toEqual({ events: [], next: replay.next });
  });

  it('filters by type and pages with a cursor', async () => {
    const only = await reader.changes.fetch({ vault: 'feed', types: ['SecretDeleted', 'Coffer.KeyVault.SecretRecovered'] });
    expect(only.events.map(short)).toEqual(['SecretDeleted', 'SecretRecovered']);
    const first = await reader.changes.fetch({ vault: 'feed', maxEvents: 2 });
    const second = await reader.changes.fetch({ vault: 'feed', from: { sequence: first.next }, maxEvents: 2 });
    expect(first.events).toHaveLength(2);
    expect(second.events[0].cofferseq).toBeGreaterThan(first.events[1].cofferseq);
  });

  it('a subscription long-polls for new changes and resumes at least once from its cursor', async () => {
    const subscription = reader.changes.subscribe({ vault: 'feed', from: 'now', types: ['SecretNewVersionCreated'], waitMs: 5_000 });
    const received: ChangeEvent[] = [];
    const consuming = (async () => {
      for await (const change of subscription) {
        received.push(change.event);
        if (received.length === 1) change.ack(); // the second is received but not acknowledged
        if (received.length === 2) subscription.stop();
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const a = await admin.secrets('feed').set('live', 'one');
    const b = await admin.secrets('feed').set('live', 'two');
    await consuming;
    expect(received.map((e) => e.data.Version)).toEqual([a.version, b.version]);
    // Resuming from the cursor redelivers what was not acknowledged.
    const resumed = await reader.changes.fetch({ vault: 'feed', from: { sequence: subscription.cursor! }, types: ['SecretNewVersionCreated'] });
    expect(resumed.events[0].data.Version).toBe(b.version);
  });

  it('refuses readers without the role, and a vault reader elsewhere or on the whole feed', async () => {
    expect(await errorOf(outsider.changes.fetch({ vault: 'feed' }))).toMatchObject({ code: 'Forbidden' });
    expect(await errorOf(reader.changes.fetch({ vault: 'other' }))).toMatchObject({ code: 'Forbidden' });
    expect(await errorOf(reader.changes.fetch())).toMatchObject({ code: 'Forbidden' });
    expect(await errorOf(reader.changes.fetch({ vault: 'feed', types: ['NoSuchType'] }))).toMatchObject({ code: 'BadParameter' });
  });

  it('the whole feed (root scope) includes access changes, attributed to their vault', async () => {
    const root = await clientWithRole('root-reader', 'Coffer Events Reader', '/');
    try {
      const page = await root.changes.fetch({ types: ['RoleAssignmentCreated', 'VaultAccessPolicyChanged'] });
      const feedAccess = page.events.filter((e) => e.source === 'coffer://feed');
      expect(feedAccess.map(short)).toEqual(expect.arrayContaining(['RoleAssignmentCreated', 'VaultAccessPolicyChanged']));
    } finally {
      await root.close();
    }
  });
});
