import { CertificateEvent } from '@coffer/contracts';
import { decideCertificate, evolveCertificate, initialCertificateState } from './certificate.decider';
import { CertificateState } from './certificate.state';
import { DEFAULT_CERTIFICATE_POLICY, resolveCertificatePolicy } from './certificate-policy.rules';

const now = new Date('2026-01-01T00:00:00Z');
const v1 = 'a'.repeat(32);
const parts = (version: string, hsmKeyId = `v/c/${version}`, dek = 1) => ({
  certificate: { version, cer: 'AA', x5t: 'x', serialNumber: '01', subject: 'CN=a', issuer: 'CN=a', chain: [], attributes: { enabled: true, nbf: 'n', exp: 'e' }, created: 'c', updated: 'c' },
  key: { version, hsmKeyId, kty: 'EC-HSM' as const, crv: 'P-256' as const, keyOps: ['sign' as const], publicKey: { kty: 'oct' as const }, attributes: { enabled: true }, created: 'c', updated: 'c' },
  secret: { version, value: { alg: 'A256GCM' as const, dek, iv: '', ct: '' }, attributes: { enabled: true }, created: 'c', updated: 'c' },
});
const given = (events: Array<Omit<CertificateEvent, 'metadata'>>): CertificateState =>
  events.reduce((s, e, i) => evolveCertificate(s, { ...e, metadata: { requestId: `r${i}`, occurredAt: 'x' } } as CertificateEvent, i + 1), initialCertificateState());

describe('certificate decider', () => {
  it('issues a version carrying the certificate, key and secret records', () => {
    const [e] = decideCertificate({ type: 'IssueCertificate', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, issuerName: 'Self', parts: parts(v1), now }, initialCertificateState());
    expect(e.type).toBe('CertIssued');
  });

  it('refuses a new version while an operation is pending, and merge needs the pending key', () => {
    const pending = { version: v1, issuerName: 'Unknown', csr: 'x', requestId: 'r', created: 'c', key: parts(v1).key };
    const state = given(decideCertificate({ type: 'StartCertificateOperation', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, pending, now }, initialCertificateState()) as never);
    expect(() => decideCertificate({ type: 'IssueCertificate', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, issuerName: 'Self', parts: parts('b'.repeat(32)), now }, state))
      .toThrow(expect.objectContaining({ code: 'Conflict' }));
    expect(() => decideCertificate({ type: 'MergeCertificate', name: 'c', parts: parts(v1, 'v/c/other'), now }, state)).toThrow(expect.objectContaining({ code: 'Conflict' }));
    expect(decideCertificate({ type: 'MergeCertificate', name: 'c', parts: parts(v1), now }, state)[0].type).toBe('CertificateMerged');
    const cancelled = given([...decideCertificate({ type: 'StartCertificateOperation', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, pending, now }, initialCertificateState()),
      ...decideCertificate({ type: 'CancelCertificateOperation', name: 'c', deleted: false, now }, state)] as never);
    expect(cancelled.status).toBe('absent');
  });

  it('purge names every HSM key and data key of a deleted certificate', () => {
    let state = given(decideCertificate({ type: 'IssueCertificate', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, issuerName: 'Self', parts: parts(v1), now }, initialCertificateState()) as never);
    state = evolveCertificate(state, { ...decideCertificate({ type: 'DeleteCertificate', name: 'c', retentionDays: 7, recoveryId: 'r', now }, state)[0], metadata: { requestId: 'd', occurredAt: 'x' } } as CertificateEvent, 9);
    const [purged] = decideCertificate({ type: 'PurgeCertificate', name: 'c', purgeProtection: false, now }, state);
    expect(purged.data).toMatchObject({ destroyedHsmKeys: [`v/c/${v1}`], shreddedKeys: [1] });
    expect(() => decideCertificate({ type: 'IssueCertificate', name: 'c', policy: DEFAULT_CERTIFICATE_POLICY, issuerName: 'Self', parts: parts('b'.repeat(32)), now }, state))
      .toThrow(expect.objectContaining({ code: 'Conflict' }));
  });
});

describe('certificate policy rules', () => {
  const bad = (policy: object) => () => resolveCertificatePolicy(policy as never);
  it('takes absent parts from the default and checks the rest', () => {
    expect(resolveCertificatePolicy({ key_props: { kty: 'EC' } as never }).key_props).toEqual({ kty: 'EC', crv: 'P-256', exportable: false, reuse_key: false });
    expect(bad({ x509_props: { subject: 'nonsense', validity_months: 12 } })).toThrow(expect.objectContaining({ code: 'BadParameter' }));
    expect(bad({ x509_props: { subject: 'CN=a', validity_months: 0 } })).toThrow(/validity_months/);
    expect(bad({ x509_props: { subject: 'CN=a', validity_months: 12, sans: { dns_names: ['not a host'] } } })).toThrow(/sans/);
    expect(bad({ key_props: { kty: 'RSA', key_size: 1024 } })).toThrow(/key_size/);
    expect(bad({ key_props: { kty: 'EC', crv: 'P-256K' } })).toThrow(/crv/);
    expect(bad({ issuer: { name: 'Unknown' } })).toThrow(/AutoRenew/);
    expect(bad({ lifetime_actions: [{ trigger: { lifetime_percentage: 80, days_before_expiry: 3 }, action: { action_type: 'EmailContacts' } }] })).toThrow(/exactly one/);
  });
});
