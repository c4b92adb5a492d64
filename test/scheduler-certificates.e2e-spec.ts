import { CofferClient, readCredentialsFile } from '@coffer/client';
import { ChangeEvent } from '@coffer/contracts';
import { CofferStack, startCofferStack, until } from '@coffer/testing';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { scheduledRequestId } from '../apps/scheduler/src/request-id';
import { adminCredentials } from './auth-helpers';
import { scansPassed } from './scheduler-scans';

const VAULT = 'certlife';
const SCHEDULER_ENV = { COFFER_DEV_MODE: '1', COFFER_SCHEDULER_SCAN_INTERVAL_MS: '300', COFFER_SCHEDULER_LEASE_TTL_MS: '2000' };
const short = (e: ChangeEvent) => e.type.replace('Coffer.KeyVault.', '');
const spki = (b: { cer: string }) => new X509Certificate(Buffer.from(b.cer, 'base64')).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

/**
 * Certificates' lifetime actions run by the scheduler process, on a dev-shifted clock: `renew`
 * (internal issuer, AutoRenew at 50% of a one-month validity) and `mail` (EmailContacts 10 days
 * before expiry). Shift +25 days: `renew` gets exactly one new version with a new key (the new
 * version's own 50% lies ahead), `mail` exactly one CertificateNearExpiry naming the contacts.
 */
describe('certificate lifetime actions (scheduler process, dev time shift)', () => {
  let stack: CofferStack;
  let admin: CofferClient;

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
  const of = (events: ChangeEvent[], type: string, name: string) => events.filter((e) => short(e) === type && e.data.ObjectName === name);

  beforeAll(async () => {
    stack = await startCofferStack({ env: SCHEDULER_ENV });
    admin = await CofferClient.connect({ url: stack.clientUrl, credentials: adminCredentials(stack.home), timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await admin?.dev.timeReset().catch(() => undefined);
    await admin?.close();
    await stack?.stop();
  });

  it('AutoRenew renews exactly once with a new key; EmailContacts yields one CertificateNearExpiry addressed to the contacts', async () => {
    await admin.vaults.create(VAULT, { retentionDays: 7 });
    const certs = admin.certificates(VAULT);
    await admin.issuers(VAULT).create('ca', 'CN=Coffer Lifecycle CA, O=Coffer', { kty: 'EC', crv: 'P-256' });
    await certs.setContacts([{ email: 'pki@example.com', name: 'PKI' }, { email: 'ops@example.com' }]);
    const keyProps = { kty: 'EC' as const, crv: 'P-256' as const };
    const renew = (await certs.create('renew', {
      policy: {
        key_props: keyProps, x509_props: { subject: 'CN=renew.example', validity_months: 1 }, issuer: { name: 'ca' },
        lifetime_actions: [{ trigger: { lifetime_percentage: 50 }, action: { action_type: 'AutoRenew' } }],
      },
    })).certificate!;
    const mail = (await certs.create('mail', {
      policy: {
        key_props: keyProps, x509_props: { subject: 'CN=mail.example', validity_months: 1 }, issuer: { name: 'ca' },
        lifetime_actions: [{ trigger: { days_before_expiry: 10 }, action: { action_type: 'EmailContacts' } }],
      },
    })).certificate!;
    await scansPassed(stack, 3); // nothing due yet
    expect(of(await feed(), 'CertificateNearExpiry', 'mail')).toHaveLength(0);
    expect(of(await feed(), 'CertificateNewVersionCreated', 'renew')).toHaveLength(1);

    await admin.dev.timeShift(25);
    const renewed = await until('renew to be renewed', async () => {
      const current = await certs.get('renew');
      return current.version !== renew.version ? current : undefined;
    });
    const notice = await until('CertificateNearExpiry for mail', async () => of(await feed(), 'CertificateNearExpiry', 'mail')[0]);
    await scansPassed(stack, 5); // and nothing more comes of it

    const events = await feed();
    expect(of(events, 'CertificateNewVersionCreated', 'renew')).toHaveLength(2);
    expect(of(events, 'CertificateNearExpiry', 'mail')).toHaveLength(1);
    expect(of(events, 'CertificateNewVersionCreated', 'mail')).toHaveLength(1); // EmailContacts never renews
    expect((await certs.get('renew')).version).toBe(renewed.version);
    expect(spki(renewed)).not.toBe(spki(renew)); // a new key (no reuse_key)
    expect((await certs.get('renew', renew.version)).version).toBe(renew.version); // the old version is still readable
    // The new version follows the policy on the (shifted) vault clock: its own 50% lies ahead.
    const shiftedNow = Date.parse((await admin.dev.timeShow()).now);
    expect(Date.parse(renewed.attributes.nbf!)).toBeGreaterThan(shiftedNow - 60_000);
    expect(notice).toMatchObject({
      subject: `coffer://${VAULT}/certificates/mail/${mail.version}`,
      data: { ObjectType: 'Certificate', ObjectName: 'mail', Version: mail.version, EXP: Math.floor(Date.parse(mail.attributes.exp!) / 1000), NBF: Math.floor(Date.parse(mail.attributes.nbf!) / 1000), Contacts: ['pki@example.com', 'ops@example.com'] },
    });

    // A renewal computed for the old version is refused (VersionMismatch), a second notice AlreadyNotified: both settled for the scheduler.
    const scheduler = new CofferClient(admin.connection, { credentials: readCredentialsFile(join(stack.home, 'scheduler.credentials')) });
    await expect(scheduler.certificates(VAULT).create('renew', { ifMatch: renew.version, requestId: scheduledRequestId({ object: `${VAULT}/certificates/renew`, version: renew.version, action: 'other', due: 0 }) }))
      .rejects.toMatchObject({ code: 'Conflict', innerCode: 'VersionMismatch' });
    await expect(scheduler.certificates(VAULT).notify('mail', mail.version)).rejects.toMatchObject({ code: 'Conflict', innerCode: 'AlreadyNotified' });
    expect(of(await feed(), 'CertificateNewVersionCreated', 'renew')).toHaveLength(2);
  });
  it('purges a soft-deleted certificate (with its key and secret) once its retention has passed', async () => {
    const certs = admin.certificates(VAULT);
    await certs.create('gone-cert', { policy: { key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=gone.example', validity_months: 12 }, issuer: { name: 'Self' } } });
    await certs.delete('gone-cert');
    await scansPassed(stack, 3); // the retention (7 days) has not passed
    expect(of(await feed(), 'CertificatePurged', 'gone-cert')).toHaveLength(0);

    await admin.dev.timeShift(8);
    await until('gone-cert to be purged', async () => of(await feed(), 'CertificatePurged', 'gone-cert')[0]);
    await scansPassed(stack, 3); // purged once, never again
    const events = await feed();
    expect(of(events, 'CertificatePurged', 'gone-cert')).toHaveLength(1);
    // Its key and secret went with it: the scheduler never purges them on their own.
    expect([...of(events, 'KeyPurged', 'gone-cert'), ...of(events, 'SecretPurged', 'gone-cert')]).toHaveLength(0);
    await expect(certs.getDeleted('gone-cert')).rejects.toMatchObject({ code: 'CertificateNotFound' });
  });
});
