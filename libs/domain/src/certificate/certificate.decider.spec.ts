import { CertificatePolicy } from '@coffer/contracts';
import { certificateDecider, deciderScenarios } from '@coffer/read-model/testing';
import { DAY_MS } from '../lifecycle/due-times';
import { CertificateCommand, NotifyCertificateExpiry } from './certificate.commands';
import { decideCertificate } from './certificate.decider';
import { absentCertificate } from './certificate.state';
import { DEFAULT_CERTIFICATE_POLICY } from './certificate-policy.rules';

const now = new Date('2026-01-01T00:00:00Z');
const v1 = 'a'.repeat(32);
const v2 = 'b'.repeat(32);
const parts = (version: string, hsmKeyId = `v/c/${version}`, dek = 1) => ({
  certificate: { version, cer: 'AA', x5t: 'x', serialNumber: '01', subject: 'CN=a', issuer: 'CN=a', chain: [], attributes: { enabled: true, nbf: 'n', exp: 'e' }, created: 'c', updated: 'c' },
  key: { version, hsmKeyId, kty: 'EC-HSM' as const, crv: 'P-256' as const, keyOps: ['sign' as const], publicKey: { kty: 'oct' as const }, attributes: { enabled: true }, created: 'c', updated: 'c' },
  secret: { version, value: { alg: 'A256GCM' as const, dek, iv: '', ct: '' }, attributes: { enabled: true }, created: 'c', updated: 'c' },
});
const issue = (version: string): CertificateCommand =>
  ({ type: 'IssueCertificate', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, issuerName: 'Self', parts: parts(version), now });
/** What a new certificate's first command records (the decider, on no state). */
const first = (command: CertificateCommand) => decideCertificate(command, absentCertificate());

const { given } = deciderScenarios(certificateDecider('c'));

describe('certificate decider', () => {
  it('issues a version carrying the certificate, key and secret records', () =>
    given().when(issue(v1)).then([{ type: 'CertIssued', data: { certificate: { version: v1 }, key: { hsmKeyId: `v/c/${v1}` }, secret: { version: v1 } } }]));

  it('refuses a new version while an operation is pending, and merge needs the pending key', async () => {
    const pending = { version: v1, issuerName: 'Unknown', csr: 'x', requestId: 'r', created: 'c', key: parts(v1).key };
    const started = first({ type: 'StartCertificateOperation', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, pending, now });
    await given(...started).when(issue(v2)).thenFails('Conflict');
    await given(...started).when({ type: 'MergeCertificate', name: 'c', parts: parts(v1, 'v/c/other'), now }).thenFails('Conflict');
    await given(...started).when({ type: 'MergeCertificate', name: 'c', parts: parts(v1), now }).then([{ type: 'CertificateMerged' }]);
    const cancel: CertificateCommand = { type: 'CancelCertificateOperation', name: 'c', deleted: false, now };
    const cancelled = await given(...started).when(cancel).decided();
    expect((await given(...started, ...cancelled).state(cancel)).status).toBe('absent');
  });

  it('purge names every HSM key and data key of a deleted certificate', async () => {
    const issued = first(issue(v1));
    const deleted = await given(...issued).when({ type: 'DeleteCertificate', name: 'c', retentionDays: 7, recoveryId: 'r', now }).decided();
    await given(...issued, ...deleted).when({ type: 'PurgeCertificate', name: 'c', purgeProtection: false, now })
      .then([{ type: 'CertificatePurged', data: { destroyedHsmKeys: [`v/c/${v1}`], shreddedKeys: [1] } }]);
    await given(...issued, ...deleted).when(issue(v2)).thenFails('Conflict');
  });
});

describe('certificate EmailContacts notice (NotifyCertificateExpiry)', () => {
  const V1 = 'a'.repeat(32);
  const V2 = 'b'.repeat(32);
  const NBF = '2030-01-01T00:00:00.000Z';
  const EXP = '2030-01-31T00:00:00.000Z';
  const policy = (daysBefore: number | undefined): CertificatePolicy => ({
    ...DEFAULT_CERTIFICATE_POLICY,
    lifetime_actions: daysBefore === undefined ? [] : [{ trigger: { days_before_expiry: daysBefore }, action: { action_type: 'EmailContacts' } }],
  });
  const parts = (version: string) => ({
    certificate: { version, cer: 'AA', x5t: 'x', serialNumber: '01', subject: 'CN=a', issuer: 'CN=a', chain: [], attributes: { enabled: true, nbf: NBF, exp: EXP }, created: NBF, updated: NBF },
    key: { version, hsmKeyId: `v/c/${version}`, kty: 'EC-HSM' as const, crv: 'P-256' as const, keyOps: ['sign' as const], publicKey: { kty: 'oct' as const }, attributes: { enabled: true }, created: NBF, updated: NBF },
    secret: { version, value: { alg: 'A256GCM' as const, dek: 1, iv: '', ct: '' }, attributes: { enabled: true }, created: NBF, updated: NBF },
  });
  /** The CertIssued events of issuing `versions` in turn (the decider does not look at earlier versions to issue one). */
  const issued = (p: CertificatePolicy, ...versions: string[]) =>
    versions.flatMap((v) => decideCertificate({ type: 'IssueCertificate', name: 'c', policy: p, issuerName: 'Self', parts: parts(v), now: new Date(NBF) }, absentCertificate()));
  const notify = (version: string, at: string, contacts = ['ops@example.com']): NotifyCertificateExpiry =>
    ({ type: 'NotifyCertificateExpiry', name: 'c', version, contacts, windowMs: 30 * DAY_MS, now: new Date(at) });

  it('records CertificateExpiryNotified with the validity and the contacts once the EmailContacts trigger is due', () =>
    given(...issued(policy(10), V1)).when(notify(V1, '2030-01-21T00:00:00.000Z')).then([{
      type: 'CertificateExpiryNotified',
      data: { name: 'c', version: V1, kind: 'NearExpiry', nbf: NBF, exp: EXP, notified: '2030-01-21T00:00:00.000Z', contacts: ['ops@example.com'] },
    }]));

  it('is refused (NotYetDue) before the trigger falls due', () =>
    given(...issued(policy(10), V1)).when(notify(V1, '2030-01-20T23:59:59.000Z')).thenFails('Conflict', 'NotYetDue'));

  it('is recorded once per version: a second notice is AlreadyNotified; the next version has its own', async () => {
    const versions = issued(policy(10), V1, V2);
    const once = await given(...versions).when(notify(V2, '2030-01-25T00:00:00.000Z')).decided();
    await given(...versions, ...once).when(notify(V2, '2030-01-26T00:00:00.000Z')).thenFails('Conflict', 'AlreadyNotified');
    await given(...versions, ...once).when(notify(V1, '2030-01-25T00:00:00.000Z')).then([{ type: 'CertificateExpiryNotified', data: { version: V1 } }]);
  });

  it('no contacts: still recorded, with an empty list (the change feed still tells subscribers)', () =>
    given(...issued(policy(10), V1)).when(notify(V1, '2030-01-25T00:00:00.000Z', [])).then([{ data: { contacts: [] } }]));

  it('without an EmailContacts action the command\'s window applies; an unknown version is CertificateNotFound', async () => {
    const withoutAction = given(...issued(policy(undefined), V1));
    await withoutAction.when(notify(V1, '2029-12-31T23:59:59.000Z')).thenFails('Conflict', 'NotYetDue');
    await withoutAction.when(notify(V1, '2030-01-01T00:00:00.000Z')).then([{ type: 'CertificateExpiryNotified' }]);
    await withoutAction.when(notify('c'.repeat(32), '2030-01-25T00:00:00.000Z')).thenFails('CertificateNotFound');
  });

  it('create with ifMatch is check-and-set on the current version (a renewed version is never renewed twice)', async () => {
    const renew = (ifMatch: string) => given(...issued(policy(10), V1))
      .when({ type: 'IssueCertificate', name: 'c', policy: policy(10), issuerName: 'Self', parts: parts(V2), ifMatch, now: new Date(NBF) });
    await renew(V1).then([{ type: 'CertIssued' }]);
    await renew(V2).thenFails('Conflict', 'VersionMismatch');
  });
});
