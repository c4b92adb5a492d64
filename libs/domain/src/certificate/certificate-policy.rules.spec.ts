import { resolveCertificatePolicy } from './certificate-policy.rules';

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
