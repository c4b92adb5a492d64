import { CofferClient, CofferRequestError, readCredentialsFile } from '@coffer/client';
import { loadConfig } from '@coffer/config';
import { ChangeEvent, SchedulerStatusReply, SchedulerSubjects } from '@coffer/contracts';
import { DAY_MS } from '@coffer/domain';
import { openReadModel, ReadModel } from '@coffer/read-model';
import { CofferStack, connectTo, startCofferStack, until } from '@coffer/testing';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { scheduledRequestId } from '../apps/scheduler/src/request-id';
import { RunningScheduler, startScheduler } from '../apps/scheduler/src/start-scheduler';
import { adminCredentials } from './auth-helpers';
import { scansPassed, scansPassedIn } from './scheduler-scans';
import { InProcessStack, startInProcessStack } from './in-process-stack';

const VAULT = 'life';
const MARKER = 'scheduler-planted-value-5d2e';
const SCHEDULER_ENV = {
  COFFER_DEV_MODE: '1',
  COFFER_SCHEDULER_SCAN_INTERVAL_MS: '300',
  COFFER_SCHEDULER_LEASE_TTL_MS: '2000',
};
const short = (e: ChangeEvent) => e.type.replace('Coffer.KeyVault.', '');

/**
 * The lifecycle scheduler end to end, as real processes (one scheduler process plus a second
 * replica in this process), on one timeline moved with the dev time shift:
 *   T0: key `rot` (Rotate 30 days after create), secret `s-exp` and key `k-exp` (exp T0+40d;
 *       k-exp notifies 10 days before), `gone` and `gone-key` deleted (retention 7 days).
 *   leader killed with SIGKILL, shift +15d: the standby takes over; SecretNearExpiry, both purges.
 *   scheduler restarted (two replicas), shift +16d: `rot` rotated once; KeyNearExpiry.
 *   shift +10d: SecretExpired, KeyExpired. Every change exactly once in the feed.
 */
describe('lifecycle scheduler end to end (processes, dev time shift)', () => {
  let stack: CofferStack;
  let admin: CofferClient;
  let standby: RunningScheduler | undefined;
  let ds: DataSource;
  let readModel: ReadModel;

  const feed = async (): Promise<ChangeEvent[]> => {
    const events: ChangeEvent[] = [];
    let from = 1;
    for (;;) {
      const page = await admin.changes.fetch({ vault: VAULT, from: { sequence: from }, maxEvents: 256 });
      events.push(...page.events);
      if (page.events.length === 0 || page.next === from) return events;
      from = page.next;
    }
  };
  const count = (events: ChangeEvent[], type: string, name: string) => events.filter((e) => short(e) === type && e.data.ObjectName === name).length;
  const waitForChange = (type: string, name: string) => until(`${type} for ${name}`, async () => count(await feed(), type, name) > 0);

  beforeAll(async () => {
    stack = await startCofferStack({ env: SCHEDULER_ENV });
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 30_000 });
    ds = await openReadModel(stack.dbUrl, { migrate: false });
    readModel = new ReadModel(ds);
  });

  afterAll(async () => {
    await standby?.stop();
    await admin?.close();
    await ds?.destroy();
    await stack?.stop();
  });

  it('the vault made the scheduler principal and its credentials file (0600)', async () => {
    const { statSync } = await import('node:fs');
    const path = join(stack.home, 'scheduler.credentials');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readCredentialsFile(path)).toMatchObject({ clientId: expect.stringMatching(/^p-/) });
  });

  it('runs the whole timeline: takeover after SIGKILL, rotation once, notices once, purge after retention', async () => {
    await admin.vaults.create(VAULT, { retentionDays: 7 });
    const keys = admin.keys(VAULT);
    const secrets = admin.secrets(VAULT);
    const t0 = Date.now();
    const rot = await keys.create('rot', 'EC', { curve: 'P-256' });
    await keys.setRotationPolicy('rot', { lifetimeActions: [{ trigger: { timeAfterCreate: 'P30D' }, action: { type: 'Rotate' } }], expiryTime: 'P90D' });
    const exp = new Date(t0 + 40 * DAY_MS);
    const sExp = await secrets.set('s-exp', MARKER, { expiresOn: exp });
    const kExp = await keys.create('k-exp', 'EC', { curve: 'P-256', expiresOn: exp });
    await keys.setRotationPolicy('k-exp', { lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P10D' }, action: { type: 'Notify' } }] });
    await secrets.set('gone', 'x');
    await secrets.delete('gone');
    await keys.create('gone-key', 'EC', { curve: 'P-256' });
    await keys.delete('gone-key');

    // A second replica in this process: a standby while the process holds the lease.
    standby = await startScheduler(loadConfig({ COFFER_HOME: stack.home, ...stack.nats.appEnv('scheduler'), COFFER_DB_URL: stack.dbUrl, COFFER_LOG_LEVEL: 'warn', ...SCHEDULER_ENV }));
    await scansPassed(stack, 2); // the leader (the process) scans; the standby has had its chances at the lease meanwhile
    expect(standby.state.leader).toBe(false);
    const internal = await connectTo(stack.nats.userUrl('coffer-vault')); // the scheduler answers the vault's inbox
    const status = JSON.parse(Buffer.from((await internal.request(SchedulerSubjects.status, '{}', { timeout: 5000 })).data).toString()) as SchedulerStatusReply;
    await internal.close();
    expect(status.ok).toBe(true);
    expect((await feed()).map(short)).not.toContain('SecretNearExpiry'); // nothing due yet

    // Kill the leader with SIGKILL: its lease expires (TTL 2 s) and the standby takes over.
    const killedAt = Date.now();
    await stack.kill('scheduler', 'SIGKILL');
    await admin.dev.timeShift(15);
    await until('the standby to take over', async () => standby!.state.leader, 15_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await waitForChange('SecretNearExpiry', 's-exp');
    await waitForChange('SecretPurged', 'gone');
    await waitForChange('KeyPurged', 'gone-key');
    expect(await errorCode(secrets.getDeleted('gone'))).toBe('SecretNotFound');

    // Two replicas again (the process comes back as a standby); time moves past the rotation due date.
    await stack.start('scheduler');
    await admin.dev.timeShift(16);
    await waitForChange('KeyNearExpiry', 'k-exp');
    const rotated = await until('rot to be rotated', async () => {
      const head = await readModel.getKey(VAULT, 'rot');
      return head && head.currentVersion !== rot.version ? head : undefined;
    });
    await scansPassedIn(standby!, 3); // several more scans by the leader (the standby that took over)
    const afterRotation = await keys.get('rot');
    expect(afterRotation.version).toBe(rotated.currentVersion);
    expect((await readModel.getKey(VAULT, 'rot'))!.versionCount).toBe(2);
    // The new version expires after the policy's expiryTime, counted from the (shifted) rotation time.
    const shiftedNow = Date.parse((await admin.dev.timeShow()).now);
    expect(Date.parse(afterRotation.attributes.exp!)).toBeGreaterThan(shiftedNow + 89 * DAY_MS);

    // A restarted scheduler resends the same request id: the vault replays the rotation, nothing new.
    const v1 = (await readModel.getKeyVersion(VAULT, 'rot', rot.version))!;
    const due = Date.parse(v1.created) + 30 * DAY_MS;
    const schedulerClient = new CofferClient(admin.connection, { credentials: readCredentialsFile(join(stack.home, 'scheduler.credentials')) });
    const replay = await schedulerClient.keys(VAULT).rotate('rot', { requestId: scheduledRequestId({ object: `${VAULT}/keys/rot`, version: rot.version, action: 'rotate', due }), ifMatch: rot.version });
    expect(replay.version).toBe(rotated.currentVersion);
    expect((await readModel.getKey(VAULT, 'rot'))!.versionCount).toBe(2);

    await admin.dev.timeShift(10);
    await waitForChange('SecretExpired', 's-exp');
    await waitForChange('KeyExpired', 'k-exp');
    await scansPassedIn(standby!, 3); // nothing is recorded twice

    const events = await feed();
    expect({
      rotations: count(events, 'KeyNewVersionCreated', 'rot'),
      secretNear: count(events, 'SecretNearExpiry', 's-exp'), secretExpired: count(events, 'SecretExpired', 's-exp'),
      keyNear: count(events, 'KeyNearExpiry', 'k-exp'), keyExpired: count(events, 'KeyExpired', 'k-exp'),
      secretPurged: count(events, 'SecretPurged', 'gone'), keyPurged: count(events, 'KeyPurged', 'gone-key'),
    }).toEqual({ rotations: 2, secretNear: 1, secretExpired: 1, keyNear: 1, keyExpired: 1, secretPurged: 1, keyPurged: 1 });
    const notice = events.find((e) => short(e) === 'SecretExpired')!;
    expect(notice).toMatchObject({ subject: `coffer://${VAULT}/secrets/s-exp/${sExp.version}`, data: { Version: sExp.version, EXP: Math.floor(exp.getTime() / 1000) } });
    expect(events.find((e) => short(e) === 'KeyExpired')!.data.Version).toBe(kExp.version);
    expect(JSON.stringify(events)).not.toContain(MARKER);
    expect(JSON.stringify(events)).not.toContain(Buffer.from(MARKER).toString('base64'));
    await admin.dev.timeReset();
  });
});

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as CofferRequestError).code;
  }
}

/** Outside dev mode the time shift is refused with a typed error; notify needs the scheduler's action. */
describe('lifecycle requests on a production deployment (in-process, no dev mode)', () => {
  let stack: InProcessStack;
  let admin: CofferClient;

  beforeAll(async () => {
    stack = await startInProcessStack();
    admin = await CofferClient.connect({ url: stack.nats.url, credentials: adminCredentials(stack.home) });
  });
  afterAll(async () => {
    await admin?.close();
    await stack?.stop();
  });

  it('refuses time shift with Forbidden/DevModeDisabled', async () => {
    await expect(admin.dev.timeShift(1)).rejects.toMatchObject({ code: 'Forbidden', innerCode: 'DevModeDisabled' });
    await expect(admin.dev.timeShow()).rejects.toMatchObject({ code: 'Forbidden', innerCode: 'DevModeDisabled' });
  });

  it('refuses a notice that is not due, and one from a principal without the scheduler role', async () => {
    await admin.vaults.create('prod');
    const s = await admin.secrets('prod').set('db', 'x', { expiresOn: new Date(Date.now() + 365 * DAY_MS) });
    await expect(admin.secrets('prod').notify('db', s.version, 'Expired')).rejects.toMatchObject({ code: 'Conflict', innerCode: 'NotYetDue' });
    const p = await admin.principals.create('officer', 'servicePrincipal');
    const cred = await admin.principals.addCredential(p.id, { kind: 'secret' });
    await admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Secrets Officer', scope: '/vaults/prod' });
    const officer = await CofferClient.connect({ url: stack.nats.url, credentials: { clientId: p.id, clientSecret: cred.clientSecret! } });
    try {
      await expect(officer.secrets('prod').notify('db', s.version, 'NearExpiry')).rejects.toMatchObject({ code: 'Forbidden' });
    } finally {
      await officer.close();
    }
  });
});
