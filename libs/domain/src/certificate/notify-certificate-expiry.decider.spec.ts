import { CertificateEvent, CertificatePolicy } from '@coffer/contracts';
import { DAY_MS } from '../lifecycle/due-times';
import { decideCertificate, evolveCertificate, initialCertificateState } from './certificate.decider';
import { NotifyCertificateExpiry } from './certificate.commands';
import { CertificateState } from './certificate.state';
import { DEFAULT_CERTIFICATE_POLICY } from './certificate-policy.rules';

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
const apply = (state: CertificateState, events: Array<Omit<CertificateEvent, 'metadata'>>): CertificateState =>
  events.reduce((s, e) => evolveCertificate(s, { ...e, metadata: { requestId: 'r', occurredAt: 'x' } } as CertificateEvent, s.sequence + 1), state);
const issued = (p: CertificatePolicy, ...versions: string[]): CertificateState =>
  versions.reduce((s, v) => apply(s, decideCertificate({ type: 'IssueCertificate', name: 'c', policy: p, issuerName: 'Self', parts: parts(v), now: new Date(NBF) }, s)), initialCertificateState());
const notify = (version: string, at: string, contacts = ['ops@example.com']): NotifyCertificateExpiry =>
  ({ type: 'NotifyCertificateExpiry', name: 'c', version, contacts, windowMs: 30 * DAY_MS, now: new Date(at) });

describe('certificate EmailContacts notice (NotifyCertificateExpiry)', () => {
  it('records CertificateExpiryNotified with the validity and the contacts once the EmailContacts trigger is due', () => {
    const [e] = decideCertificate(notify(V1, '2030-01-21T00:00:00.000Z'), issued(policy(10), V1));
    expect(e).toMatchObject({
      type: 'CertificateExpiryNotified',
      data: { name: 'c', version: V1, kind: 'NearExpiry', nbf: NBF, exp: EXP, notified: '2030-01-21T00:00:00.000Z', contacts: ['ops@example.com'] },
    });
  });

  it('is refused (NotYetDue) before the trigger falls due', () => {
    expect(() => decideCertificate(notify(V1, '2030-01-20T23:59:59.000Z'), issued(policy(10), V1)))
      .toThrow(expect.objectContaining({ code: 'Conflict', innerCode: 'NotYetDue' }));
  });

  it('is recorded once per version: a second notice is AlreadyNotified; the next version has its own', () => {
    const state = issued(policy(10), V1, V2);
    const once = apply(state, decideCertificate(notify(V2, '2030-01-25T00:00:00.000Z'), state));
    expect(() => decideCertificate(notify(V2, '2030-01-26T00:00:00.000Z'), once)).toThrow(expect.objectContaining({ code: 'Conflict', innerCode: 'AlreadyNotified' }));
    // Only the current version is loaded in the vault; here the folded state still knows V1, which was not noticed.
    expect(decideCertificate(notify(V1, '2030-01-25T00:00:00.000Z'), once)[0].type).toBe('CertificateExpiryNotified');
  });

  it('no contacts: still recorded, with an empty list (the change feed still tells subscribers)', () => {
    const [e] = decideCertificate(notify(V1, '2030-01-25T00:00:00.000Z', []), issued(policy(10), V1));
    expect(e.data).toMatchObject({ contacts: [] });
  });

  it('without an EmailContacts action the command\'s window applies; an unknown version is CertificateNotFound', () => {
    const state = issued(policy(undefined), V1);
    expect(() => decideCertificate(notify(V1, '2029-12-31T23:59:59.000Z'), state)).toThrow(expect.objectContaining({ innerCode: 'NotYetDue' }));
    expect(decideCertificate(notify(V1, '2030-01-01T00:00:00.000Z'), state)[0].type).toBe('CertificateExpiryNotified');
    expect(() => decideCertificate(notify('c'.repeat(32), '2030-01-25T00:00:00.000Z'), state)).toThrow(expect.objectContaining({ code: 'CertificateNotFound' }));
  });

  it('create with ifMatch is check-and-set on the current version (a renewed version is never renewed twice)', () => {
    const state = issued(policy(10), V1);
    const renew = (ifMatch: string) => decideCertificate({ type: 'IssueCertificate', name: 'c', policy: policy(10), issuerName: 'Self', parts: parts(V2), ifMatch, now: new Date(NBF) }, state);
    expect(renew(V1)[0].type).toBe('CertIssued');
    expect(() => renew(V2)).toThrow(expect.objectContaining({ code: 'Conflict', innerCode: 'VersionMismatch' }));
  });
});
