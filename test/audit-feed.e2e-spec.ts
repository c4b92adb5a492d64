import { AuditFeedCursor, CofferClient, CofferRequestError, TailedAuditItem } from '@coffer/client';
import { AuditRecord } from '@coffer/contracts';
import { connectTo, until } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { adminCredentials, rawRequest, tokenFor } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { run } from '../apps/cli/src/main';

async function drain(tail: AsyncIterable<TailedAuditItem>): Promise<TailedAuditItem[]> {
  const items: TailedAuditItem[] = [];
  for await (const item of tail) items.push(item);
  return items;
}
const recordsOf = (items: TailedAuditItem[]): AuditRecord[] => items.flatMap((i) => (i.kind === 'record' ? [i.record.record] : []));

/** The audit feed through the public API: chain order, verified pages, vault scope, resumable cursor, nothing sensitive. */
describe('audit feed end to end', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  let vaultReader: CofferClient;
  let secretsUser: CofferClient;
  let raw: NatsConnection;
  const sensitive: string[] = [];

  beforeAll(async () => {
    stack = await startInProcessStack({ env: { COFFER_AUDIT_CHECKPOINT_INTERVAL_MS: '200' } });
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home) });
    raw = await connectTo(stack.nats.url);
    await admin.vaults.create('feeda');
    await admin.vaults.create('feedb');
    const reader = await admin.principals.create('audit-a', 'servicePrincipal');
    const readerCred = await admin.principals.addCredential(reader.id, { kind: 'secret' });
    await admin.roleAssignments.create({ principalId: reader.id, role: 'Coffer Audit Reader', scope: '/vaults/feeda' });
    const user = await admin.principals.create('user-a', 'servicePrincipal');
    const userCred = await admin.principals.addCredential(user.id, { kind: 'secret' });
    await admin.roleAssignments.create({ principalId: user.id, role: 'Key Vault Secrets User', scope: '/vaults/feeda' });
    vaultReader = await CofferClient.connect({ url: stack.nats.url, credentials: { clientId: reader.id, clientSecret: readerCred.clientSecret! } });
    secretsUser = await CofferClient.connect({ url: stack.nats.url, credentials: { clientId: user.id, clientSecret: userCred.clientSecret! } });
    sensitive.push(readerCred.clientSecret!, userCred.clientSecret!, await tokenFor(raw, adminCredentials(stack.home)));
    await admin.secrets('feeda').set('db', 'value-of-a-1');
    await admin.secrets('feedb').set('db', 'value-of-b-1');
    await secretsUser.secrets('feeda').get('db');
    await secretsUser.secrets('feedb').get('db').catch(() => undefined); // denied, audited in feedb
    sensitive.push('value-of-a-1', 'value-of-b-1');
  });
  afterAll(async () => {
    await Promise.all([vaultReader?.close(), secretsUser?.close(), admin?.close(), raw?.close()]);
    await stack?.stop();
  });

  it('gives a root reader every record in chain order, verified, with signed checkpoints as they occur', async () => {
    const items = await until('a checkpoint in the feed', async () => {
      const all = await drain(admin.audit.tail({ follow: false }));
      return all.some((i) => i.kind === 'checkpoint') ? all : undefined;
    });
    const records = items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
    expect(records.map((r) => r.position)).toEqual(records.map((_, n) => n + 1)); // every position, in order
    const objects = records.map((r) => r.record.objectId);
    expect(objects).toEqual(expect.arrayContaining(['/vaults/feeda/secrets/db', '/vaults/feedb/secrets/db']));
    for (const s of sensitive) expect(JSON.stringify(items)).not.toContain(s);
  });

  it('shows a vault-scoped Audit Reader only its vault whole, still verifiable, and nothing of other vaults', async () => {
    const tail = vaultReader.audit.tail({ vault: 'feeda', follow: false });
    const items = await drain(tail);
    const records = recordsOf(items);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.objectId.startsWith('/vaults/feeda'))).toBe(true);
    expect(records.some((r) => r.action.endsWith('getSecret/action') && r.outcome === 'succeeded')).toBe(true);
    // The raw pages too (redacted runs carry hashes only).
    const page = await vaultReader.audit.feedPage({ vault: 'feeda', maxRecords: 1000 });
    const text = JSON.stringify(page);
    expect(text).not.toContain('feedb');
    for (const s of sensitive) expect(text).not.toContain(s);
    expect(page.items.some((i) => i.kind === 'redacted')).toBe(true);
    expect(tail.cursor!.position).toBeGreaterThan(records.length);
  });

  it('refuses the feed of another vault or of the whole chain to a vault-scoped reader, and to a principal without the role', async () => {
    for (const attempt of [
      () => vaultReader.audit.feedPage({ vault: 'feedb' }),
      () => vaultReader.audit.feedPage({}),
      () => secretsUser.audit.feedPage({ vault: 'feeda' }),
    ]) {
      expect(await attempt().catch((e: CofferRequestError) => e)).toMatchObject({ code: 'Forbidden' });
    }
    // A cursor is a plain position: it moves nobody into another scope.
    const resumed = await vaultReader.audit.feedPage({ vault: 'feeda', from: { position: 2 } });
    expect(JSON.stringify(resumed)).not.toContain('feedb');
    // Bad input is refused by name.
    const bad = await rawRequest(raw, 'coffer.v1.audit.feed', { vault: '../x' }, await tokenFor(raw, adminCredentials(stack.home)));
    expect(bad.error).toMatchObject({ code: 'BadParameter' });
  });

  it('resumes from a saved cursor, follows new records as they happen, and filters by principal and outcome', async () => {
    const first = vaultReader.audit.tail({ vault: 'feeda', follow: false });
    const lastItem = (await drain(first)).at(-1);
    const cursor: AuditFeedCursor = first.cursor!; // past the redacted run after the last record, if any
    expect(cursor.position).toBeGreaterThanOrEqual(lastItem!.cursor.position);
    const key = first.key;

    const follow = vaultReader.audit.tail({ vault: 'feeda', from: { cursor }, key, waitMs: 2_000 });
    const seen: AuditRecord[] = [];
    const following = (async () => {
      for await (const item of follow) {
        if (item.kind !== 'record') continue;
        seen.push(item.record.record);
        if (item.record.record.objectId === '/vaults/feeda/secrets/later') follow.stop();
      }
    })();
    await admin.secrets('feedb').set('noise', 'value-of-b-2');
    await admin.secrets('feeda').set('later', 'value-of-a-2');
    await following;
    expect(seen.map((r) => r.objectId)).toContain('/vaults/feeda/secrets/later');
    expect(seen.every((r) => r.objectId.startsWith('/vaults/feeda'))).toBe(true);
    expect(JSON.stringify(seen)).not.toMatch(/value-of-/);

    const denied = recordsOf(await drain(admin.audit.tail({ outcome: 'denied', follow: false })));
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((r) => r.outcome === 'denied')).toBe(true);
    const whoami = await secretsUser.auth.whoami();
    const mine = recordsOf(await drain(admin.audit.tail({ principal: whoami.principal.id, follow: false })));
    expect(mine.every((r) => r.principal === whoami.principal.id)).toBe(true);
    expect(mine.length).toBeGreaterThanOrEqual(3);

    // From a time: the first record at or after it.
    const later = seen.find((r) => r.objectId === '/vaults/feeda/secrets/later')!;
    const fromTime = await admin.audit.feedPage({ from: { time: later.time }, maxRecords: 50 });
    const firstRecord = fromTime.items.find((i) => i.kind === 'record');
    expect(firstRecord?.kind === 'record' && firstRecord.record.time >= later.time).toBe(true);
    expect(fromTime.items.filter((i) => i.kind === 'record').map((i) => i.kind === 'record' && `${i.record.time} ${i.record.objectId}`)).toContain(`${later.time} /vaults/feeda/secrets/later`);

    // From now: nothing until something happens.
    const now = await admin.audit.feedPage({ from: 'now' });
    expect(now.items).toEqual([]);
  });

  it('coffer audit tail prints verified records as JSON lines or tsv, and resumes from the cursor it printed', async () => {
    const coffer = async (args: string) => {
      let stdout = '';
      let stderr = '';
      process.env.COFFER_CREDENTIALS = join(stack.home, 'admin.credentials');
      try {
        const code = await run(['--nats-url', stack.nats.url, ...args.split(' ')], {
          stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: Readable.from(['']),
        });
        return { code, stdout, stderr };
      } finally {
        delete process.env.COFFER_CREDENTIALS;
      }
    };
    const all = await coffer('audit tail --vault feeda --no-follow -o json');
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as { position?: number; record?: AuditRecord; checkpoint?: unknown });
    const records = lines.filter((l) => l.record);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((l) => l.record!.objectId.startsWith('/vaults/feeda'))).toBe(true);
    for (const s of sensitive) expect(all.stdout).not.toContain(s);
    const cursor = /resume with --from (\d+):([0-9a-f]{64})/.exec(all.stderr)!;
    await admin.secrets('feeda').set('cli-later', 'value-of-a-3');
    const resumed = await coffer(`audit tail --vault feeda --no-follow -o tsv --from ${cursor[1]}:${cursor[2]}`);
    expect(resumed.code).toBe(0);
    const rows = resumed.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.every((r) => Number(r[0]) >= Number(cursor[1]))).toBe(true);
    expect(rows.some((r) => r[4] === '/vaults/feeda/secrets/cli-later')).toBe(true);
    expect(resumed.stdout).not.toContain('value-of-a-3');
    // A cursor whose hash is not the chain's is an integrity error, exit 1.
    const forged = await coffer(`audit tail --vault feeda --no-follow --from ${cursor[1]}:${'0'.repeat(64)}`);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/audit feed gap/);
  });
});
