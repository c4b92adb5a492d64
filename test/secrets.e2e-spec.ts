import { CofferClient } from '@coffer/client';
import { connectTo, createTestSchema, dumpReadModel, filesContaining, postgresAvailableSync } from '@coffer/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { headers, NatsConnection } from 'nats';
import { rebuildReadModel } from '../apps/projector/src/rebuild.command';
import { adminCredentials, tokenFor } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';
import { errorOf } from './error-of';


// The PostgreSQL run is decided while the file loads, so a missing server shows as skipped tests.
const backends = [
  { name: 'SQLite', postgres: false, run: describe },
  { name: 'PostgreSQL', postgres: true, run: postgresAvailableSync() ? describe : describe.skip },
];

for (const { name: backend, postgres, run } of backends) run(`secrets end to end on ${backend}`, () => {
  let stack: InProcessStack | undefined;
  let pg: { url: string; drop(): Promise<void> } | undefined;
  let client: CofferClient;
  let adminToken: string;
  const bearer = () => {
    const h = headers();
    h.set('Authorization', `Bearer ${adminToken}`);
    return h;
  };
  let raw: NatsConnection;
  let admin: NatsConnection;
  const vault = 'e2e';

  beforeAll(async () => {
    if (postgres) pg = await createTestSchema();
    stack = await startInProcessStack({ dbUrl: pg?.url });
    client = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 20_000, credentials: adminCredentials(stack.home) });
    raw = await connectTo(stack.nats.url); // plain requests, as any NATS client
    admin = await connectTo(stack.nats.adminUrl); // test-only full access: reads the keyring stream
    adminToken = await tokenFor(raw, adminCredentials(stack.home));
    await client.vaults.create(vault, { retentionDays: 7 });
  });
  afterAll(async () => {
    await raw?.close();
    await admin?.close();
    await client?.close();
    await stack?.stop();
    await pg?.drop();
  });
  const secrets = () => client.secrets(vault);

  it('sets, gets, lists, versions and updates a secret like Azure Key Vault', async () => {
    const first = await secrets().set('api-key', 'v1', { contentType: 'text/plain', tags: { team: 'core' } });
    expect(first.id).toBe(`coffer://${vault}/secrets/api-key/${first.version}`);
    expect(first.version).toMatch(/^[0-9a-f]{32}$/);
    expect(first.attributes).toMatchObject({ enabled: true, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 7 });
    const second = await secrets().set('api-key', 'v2');
    expect((await secrets().get('api-key')).value).toBe('v2');
    expect((await secrets().get('api-key', first.version)).value).toBe('v1');

    const versions = [];
    for await (const v of secrets().listVersions('api-key')) versions.push(v.version);
    expect(versions).toEqual([first.version, second.version]);

    const updated = await secrets().updateProperties('api-key', first.version, { enabled: false, tags: { team: 'ops' } });
    expect(updated).toMatchObject({ version: first.version, attributes: { enabled: false }, tags: { team: 'ops' }, contentType: 'text/plain' });
    expect(await errorOf(secrets().get('api-key', first.version))).toMatchObject({ code: 'Forbidden', innerCode: 'SecretDisabled' });
    const current = await secrets().updateProperties('api-key', undefined, { contentType: 'application/json' });
    expect(current).toMatchObject({ version: second.version, contentType: 'application/json' });

    const listed = [];
    for await (const s of secrets().list()) listed.push(s);
    const item = listed.find((s) => s.name === 'api-key');
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('value');
  });

  it('pages secret lists with a continuation token (page size 1-25)', async () => {
    for (let i = 0; i < 7; i++) await secrets().set(`paged-${i}`, 'x');
    const page1 = await secrets().listPage({ maxResults: 3 });
    expect(page1.value).toHaveLength(3);
    expect(page1.continuationToken).toBeDefined();
    const page2 = await secrets().listPage({ maxResults: 3, continuationToken: page1.continuationToken });
    expect(page2.value[0].name > page1.value[2].name).toBe(true);
    expect(await errorOf(secrets().listPage({ maxResults: 26 }))).toMatchObject({ code: 'BadParameter' });
  });

  it('check-and-set refuses a stale version or sequence', async () => {
    const a = await secrets().set('cas', 'one');
    const b = await secrets().set('cas', 'two', { ifMatch: a.version });
    expect(await errorOf(secrets().set('cas', 'three', { ifMatch: a.version }))).toMatchObject({ code: 'Conflict', innerCode: 'VersionMismatch' });
    expect(await errorOf(secrets().set('cas', 'three', { ifMatch: String(a.sequence) }))).toMatchObject({ code: 'Conflict' });
    await secrets().set('cas', 'three', { ifMatch: String(b.sequence) });
    expect((await secrets().get('cas')).value).toBe('three');
  });

  it('20 concurrent sets on one secret produce 20 distinct versions, none lost', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => secrets().set('contended', `value-${i}`)));
    expect(new Set(results.map((r) => r.version)).size).toBe(20);
    const versions = [];
    for await (const v of secrets().listVersions('contended')) versions.push(v.version);
    expect(new Set(versions)).toEqual(new Set(results.map((r) => r.version)));
    for (const r of results) expect((await secrets().get('contended', r.version)).value).toBe(r.value);
  });

  it('a retried request (same request id) applies once', async () => {
    const requestId = randomUUID();
    const a = await secrets().set('retried', 'once', { requestId });
    const b = await secrets().set('retried', 'once', { requestId });
    expect(b.version).toBe(a.version);
    expect(b.value).toBe('once');
    const versions = [];
    for await (const v of secrets().listVersions('retried')) versions.push(v);
    expect(versions).toHaveLength(1);
  });

  it('read-your-writes under 64 concurrent writer/reader pairs', async () => {
    await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        for (let round = 0; round < 3; round++) {
          const written = await secrets().set(`ryw-${i % 8}`, `w-${i}-${round}`);
          const read = await secrets().get(`ryw-${i % 8}`, written.version);
          expect(read.value).toBe(`w-${i}-${round}`);
          const latest = await secrets().get(`ryw-${i % 8}`);
          expect(latest.sequence).toBeGreaterThanOrEqual(written.sequence);
        }
      }),
    );
  });

  it('soft delete, recover, purge, and set on a deleted name', async () => {
    await secrets().set('doomed', 'bye');
    const deleted = await secrets().delete('doomed');
    expect(deleted).toMatchObject({ recoveryId: `coffer://${vault}/deletedsecrets/doomed` });
    expect(Date.parse(deleted.scheduledPurgeDate) - Date.parse(deleted.deletedDate)).toBe(7 * 86_400_000);
    expect(await errorOf(secrets().get('doomed'))).toMatchObject({ code: 'SecretNotFound' });
    expect(await errorOf(secrets().set('doomed', 'again'))).toMatchObject({ code: 'Conflict', innerCode: 'ObjectIsDeletedButRecoverable' });
    const deletedNames = [];
    for await (const d of secrets().listDeleted()) deletedNames.push(d.name);
    expect(deletedNames).toContain('doomed');
    await secrets().recover('doomed');
    expect((await secrets().get('doomed')).value).toBe('bye');
    await secrets().delete('doomed');
    await secrets().purge('doomed');
    expect(await errorOf(secrets().getDeleted('doomed'))).toMatchObject({ code: 'SecretNotFound' });
    await secrets().set('doomed', 'reborn');
    expect((await secrets().get('doomed')).value).toBe('reborn');
  });

  it('purge protection refuses purge before the retention ends', async () => {
    await client.vaults.create('guarded', { purgeProtection: true, retentionDays: 7 });
    await client.secrets('guarded').set('s', 'x');
    await client.secrets('guarded').delete('s');
    expect(await errorOf(client.secrets('guarded').purge('s'))).toMatchObject({ code: 'Forbidden', innerCode: 'PurgeProtected' });
    expect(await errorOf(client.vaults.update('guarded', { purgeProtection: false }))).toMatchObject({ code: 'BadParameter' });
  });

  it('backup and restore carry every version; restore refuses an existing name', async () => {
    const a = await secrets().set('backed', 'first');
    const b = await secrets().set('backed', 'second', { tags: { k: 'v' } });
    const blob = await secrets().backup('backed');
    expect(blob).not.toContain('first');
    expect(await errorOf(secrets().restore(blob))).toMatchObject({ code: 'Conflict' });
    await secrets().delete('backed');
    await secrets().purge('backed');
    await secrets().restore(blob);
    expect((await secrets().get('backed', a.version)).value).toBe('first');
    expect(await secrets().get('backed')).toMatchObject({ version: b.version, value: 'second', tags: { k: 'v' } });
    const tampered = blob.slice(0, -6) + (blob.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    expect(await errorOf(client.secrets('guarded').restore(tampered))).toMatchObject({ code: 'BadParameter', innerCode: 'InvalidBackup' });
  });

  it('every bad input class gets the right error and changes nothing', async () => {
    await secrets().set('stable', 'unchanged');
    const before = await dumpReadModel(stack!.config.dbUrl);
    const rawReq = async (subject: string, body: string) =>
      JSON.parse(Buffer.from((await raw.request(subject, Buffer.from(body), { timeout: 5000, headers: bearer() })).data).toString());
    const subject = `coffer.v1.vault.${vault}.secret.set`;
    const cases: [string, string, string, string?][] = [
      ['malformed JSON', subject, '{"name": "stable", "value": ', 'MalformedRequest'],
      ['unknown field', subject, JSON.stringify({ name: 'stable', value: 'x', colour: 'red' }), 'UnknownField'],
      ['wrong type', subject, JSON.stringify({ name: 'stable', value: 42 })],
      ['bad name', subject, JSON.stringify({ name: 'no spaces allowed', value: 'x' })],
      ['oversize value', subject, JSON.stringify({ name: 'stable', value: 'x'.repeat(25 * 1024 + 1) }), 'ValueTooLarge'],
      ['16 tags', subject, JSON.stringify({ name: 'stable', value: 'x', tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, 'v'])) })],
      ['bad vault name', 'coffer.v1.vault.x.secret.set', JSON.stringify({ name: 'stable', value: 'x' })],
    ];
    for (const [label, subj, body, inner] of cases) {
      const reply = await rawReq(subj, body);
      expect({ label, code: reply.error?.code }).toEqual({ label, code: 'BadParameter' });
      if (inner) expect(reply.error.innererror?.code).toBe(inner);
      expect(reply.error.message).not.toMatch(/unchanged/);
    }
    const unknownVault = await rawReq('coffer.v1.vault.nosuchvault.secret.set', JSON.stringify({ name: 'stable', value: 'x' }));
    expect(unknownVault.error.code).toBe('VaultNotFound');
    expect(await dumpReadModel(stack!.config.dbUrl)).toEqual(before);
    expect((await secrets().get('stable')).value).toBe('unchanged');
  });

  it('a write with a malformed request id header is refused', async () => {
    const h = bearer();
    h.set('Coffer-Request-Id', 'bad id with spaces');
    const reply = JSON.parse(Buffer.from((await raw.request(`coffer.v1.vault.${vault}.secret.set`, Buffer.from('{"name":"stable","value":"changed"}'), { headers: h, timeout: 5000 })).data).toString());
    expect(reply.error.code).toBe('BadParameter');
    expect((await secrets().get('stable')).value).toBe('unchanged');
  });

  it('no plaintext marker reaches the JetStream store or the database', async () => {
    const marker = `MARKER-${randomBytes(12).toString('hex')}`;
    await secrets().set('planted', `prefix ${marker} suffix`);
    await secrets().set('planted', marker);
    expect((await secrets().get('planted')).value).toBe(marker);
    await client.status(); // flushes nothing, but proves the service is still up
    expect(filesContaining(stack!.nats.storeDir, marker)).toEqual([]);
    if (stack!.config.dbUrl.startsWith('sqlite:')) {
      expect(filesContaining(stack!.home, marker)).toEqual([]);
    } else {
      const rows = (await dumpReadModel(stack!.config.dbUrl)).secret_versions;
      expect(JSON.stringify(rows)).not.toContain(marker);
      expect(JSON.stringify(rows)).not.toContain(Buffer.from(marker).toString('base64').slice(0, 20));
    }
  });

  it('a rebuild from sequence 0 equals the live read model; purged secrets stay gone and unrecoverable', async () => {
    const victim = await secrets().set('shredded', 'gone-for-good');
    await secrets().delete('shredded');
    await secrets().purge('shredded');
    await secrets().set('kept', 'still-here');
    await client.status();
    const schema = stack!.config.dbUrl.startsWith('sqlite:') ? undefined : await createTestSchema();
    const rebuiltUrl = schema?.url ?? `sqlite:${join(stack!.home, 'rebuilt.sqlite')}`;
    const result = await rebuildReadModel({ natsUrl: stack!.nats.userUrl('coffer-projector'), dbUrl: rebuiltUrl });
    expect(result.events).toBeGreaterThan(0);
    const live = await dumpReadModel(stack!.config.dbUrl);
    const rebuilt = await dumpReadModel(rebuiltUrl);
    await schema?.drop();
    expect(rebuilt).toEqual(live);
    expect(JSON.stringify(rebuilt)).not.toContain(victim.version);
    // A partial rebuild (the scale benchmark's) stops where it is told.
    const partial = await rebuildReadModel({
      natsUrl: stack!.nats.userUrl('coffer-projector'), dbUrl: `sqlite:${join(stack!.home, 'partial.sqlite')}`, untilSequence: result.lastSequence - 1,
    });
    expect(partial).toMatchObject({ lastSequence: result.lastSequence - 1, checkpoint: result.lastSequence - 1 });
    // The data key is erased from the keyring: the ciphertext still in the log can never be decrypted.
    const jsm = await admin.jetstreamManager();
    const keyring = await jsm.streams.getMessage('COFFER_KEYRING', { last_by_subj: `coffer.keyring.${vault}.secret.shredded` }).catch(() => undefined);
    expect(keyring).toBeUndefined();
    expect(await errorOf(secrets().get('shredded'))).toMatchObject({ code: 'SecretNotFound' });
  });
});
