import { CofferClient, CofferRequestError } from '@coffer/client';
import { AuditStreams } from '@coffer/contracts';
import { connectTo, until } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

/** The audit trail through the public API: every request recorded, provenance, verification, and no unaudited access. */
describe('audit trail end to end', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  let reader: CofferClient;
  let internal: NatsConnection;

  beforeAll(async () => {
    stack = await startInProcessStack({ env: { COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '200' } });
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home) });
    internal = await connectTo(stack.nats.adminUrl);
    await admin.vaults.create('audited');
    const p = await admin.principals.create('app-reader', 'servicePrincipal');
    const cred = await admin.principals.addCredential(p.id, { kind: 'secret' });
    await admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Secrets User', scope: '/vaults/audited' });
    reader = await CofferClient.connect({ url: stack.nats.url, credentials: { clientId: p.id, clientSecret: cred.clientSecret! } });
  });
  afterAll(async () => {
    await reader?.close();
    await admin?.close();
    await internal?.close();
    await stack?.stop();
  });

  it('records allowed and denied requests, and tells who last read each version', async () => {
    const v1 = await admin.secrets('audited').set('db', 'one');
    const v2 = await admin.secrets('audited').set('db', 'two');
    await reader.secrets('audited').get('db');
    await reader.secrets('audited').get('db', v1.version);
    const denied = await reader.secrets('audited').set('db', 'nope').catch((e: CofferRequestError) => e);
    expect(denied).toMatchObject({ code: 'Forbidden', innerCode: 'ForbiddenByRbac' });

    const whoami = await reader.auth.whoami();
    const records = [];
    for await (const r of admin.audit.query({ principal: whoami.principal.id })) records.push(r);
    const outcomes = records.map((r) => `${r.action.split('/').slice(-2).join('/')}:${r.outcome}`);
    expect(outcomes).toEqual(expect.arrayContaining(['getSecret/action:succeeded', 'setSecret/action:denied']));
    expect(JSON.stringify(records)).not.toMatch(/"one"|"two"|nope/);

    const usage = await admin.audit.usage('/vaults/audited/secrets/db');
    const byVersion = Object.fromEntries(usage.versions.map((v) => [v.version, v]));
    expect(byVersion[v2.version]).toMatchObject({ lastReadBy: whoami.principal.id, reads: 1 });
    expect(byVersion[v1.version]).toMatchObject({ lastReadBy: whoami.principal.id, reads: 1 });
  });

  it('group-commits the records of concurrent requests, each still recorded and verifiable', async () => {
    const jsm = await internal.jetstreamManager();
    const before = (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
    const reads = await Promise.all(Array.from({ length: 40 }, () => reader.secrets('audited').get('db')));
    expect(reads.every((r) => r.value === 'two')).toBe(true);
    const messages = (await jsm.streams.info(AuditStreams.records.name)).state.last_seq - before;
    expect(messages).toBeLessThan(40);
    const whoami = await reader.auth.whoami();
    const ids: string[] = [];
    for await (const r of admin.audit.query({ principal: whoami.principal.id, action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action' })) {
      const { sequence, index } = r as typeof r & { sequence: number; index: number };
      if (sequence <= before || ids.push(`${sequence}.${index}`) === 40) break;
    }
    expect(new Set(ids).size).toBe(40); // one record per request, each at its own (sequence, index)
    expect(ids.some((id) => !id.endsWith('.0'))).toBe(true); // several records shared a message
  });

  it('verifies the chain and its signed checkpoints', async () => {
    // A checkpoint interval passes: verify until the trail holds a signed checkpoint.
    const result = await until('a signed checkpoint', async () => {
      const r = await admin.audit.verify();
      return r.checkpoints > 0 ? r : undefined;
    });
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.checkedRecords).toBeGreaterThan(5);
    expect(result.checkpoints).toBeGreaterThan(0);
  });

  it('refuses service when the audit stream cannot take the record: no unaudited access', async () => {
    const jsm = await internal.jetstreamManager();
    const config = (await jsm.streams.info(AuditStreams.records.name)).config;
    await jsm.streams.delete(AuditStreams.records.name);
    try {
      const err = await reader.secrets('audited').get('db').catch((e: CofferRequestError) => e);
      expect(err).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
      const write = await admin.secrets('audited').set('while-down', 'x').catch((e: CofferRequestError) => e);
      expect(write).toMatchObject({ code: 'ServiceUnavailable', innerCode: 'AuditUnavailable' });
    } finally {
      await jsm.streams.add(config);
    }
    expect((await reader.secrets('audited').get('db')).value).toBe('two');
  });
});
