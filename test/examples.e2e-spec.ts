import { CofferClient } from '@coffer/client';
import { RotationHookTags } from '@coffer/contracts';
import { connectTo, postgresAvailable, TEST_POSTGRES_URL, until } from '@coffer/testing';
import { randomBytes } from 'node:crypto';
import { NatsConnection } from 'nats';
import { Client } from 'pg';
import { RunningScheduler, startScheduler } from '../apps/scheduler/src/start-scheduler';
import { ConfigReloader } from '../examples/config-reload/config-reloader';
import { startPostgresRotationHook } from '../examples/postgres-rotation-hook/postgres-rotation-hook';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

// Rotation hooks live in coffer.hooks.<the secret's vault>.…, served by a NATS user added with --hooks <vault>.
const HOOK_SUBJECT = 'coffer.hooks.apps.postgres';
const HOOK_USER = 'pg-hook';

/**
 * examples/: the PostgreSQL rotation hook rotates a real role's password (scheduler → hook →
 * new secret version), and the config reloader sees the new version through the change feed.
 */
describe('examples: PostgreSQL rotation hook and config reload', () => {
  let available = false;
  let stack: InProcessStack;
  let admin: CofferClient;
  let scheduler: RunningScheduler;
  let hookNc: NatsConnection;
  let pg: Client;
  const role = `coffer_example_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    available = await postgresAvailable();
    if (!available) return; // postgresAvailable printed SKIPPED
    pg = new Client({ connectionString: TEST_POSTGRES_URL });
    await pg.connect();
    stack = await startInProcessStack({ env: { COFFER_DEV_MODE: '1' }, hookUsers: { [HOOK_USER]: 'apps' } });
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home), timeoutMs: 30_000 });
    const config = stack.configFor('scheduler');
    scheduler = await startScheduler({ ...config, scheduler: { ...config.scheduler, scanIntervalMs: 300, leaseTtlMs: 2000 } });
    hookNc = await connectTo(stack.nats.extraClientUrls[HOOK_USER]);
  });

  afterAll(async () => {
    if (!available) return;
    await scheduler?.stop();
    await hookNc?.close();
    await admin?.close();
    await stack?.stop();
    await pg.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`).catch(() => undefined);
    await pg.end();
  });

  it('rotates the role\'s password through the hook; the reloader picks up the new version', async () => {
    if (!available) {
      console.warn('SKIPPED: examples PostgreSQL rotation hook — no PostgreSQL at 127.0.0.1:5432');
      return;
    }
    const initial = randomBytes(18).toString('base64url');
    await pg.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(initial)}`);
    const hash = async () => (await pg.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role])).rows[0]?.rolpassword as string;
    const before = await hash();

    await admin.vaults.create('apps');
    const first = await admin.secrets('apps').set('db-password', initial, {
      contentType: 'text/plain', tags: { [RotationHookTags.subject]: HOOK_SUBJECT, [RotationHookTags.interval]: 'P30D', owner: 'billing' },
    });
    const hook = startPostgresRotationHook(hookNc, { subject: HOOK_SUBJECT, adminUrl: TEST_POSTGRES_URL, role });
    const reloaded: { name: string; value: string }[] = [];
    const reloader = new ConfigReloader(admin, { vault: 'apps', secrets: ['db-password'], reload: (name, value) => void reloaded.push({ name, value }) });
    reloader.start();
    try {
      await new Promise((r) => setTimeout(r, 500));
      await admin.dev.timeShift(31);
      const change = await until('the reloader to see the rotated value', () => reloaded[0]);
      const current = await admin.secrets('apps').get('db-password');
      expect(current.version).not.toBe(first.version);
      expect(change.value).toBe(current.value);
      expect(current.value).not.toBe(initial);
      expect(current).toMatchObject({ contentType: 'text/plain', tags: { owner: 'billing', [RotationHookTags.subject]: HOOK_SUBJECT } });
      // The role's password really changed, to the value the vault now holds.
      expect(await hash()).not.toBe(before);
      const url = new URL(TEST_POSTGRES_URL);
      url.username = role;
      url.password = current.value;
      const asRole = new Client({ connectionString: url.toString() });
      await asRole.connect();
      try {
        expect((await asRole.query('SELECT current_user AS u')).rows[0].u).toBe(role);
      } finally {
        await asRole.end();
      }
      // Rotated once: further scans leave it (next due 30 days after the new version).
      await new Promise((r) => setTimeout(r, 1500));
      const versions = [];
      for await (const v of admin.secrets('apps').listVersions('db-password')) versions.push(v);
      expect(versions).toHaveLength(2);
    } finally {
      await reloader.stop();
      hook.unsubscribe();
    }
  });
});
