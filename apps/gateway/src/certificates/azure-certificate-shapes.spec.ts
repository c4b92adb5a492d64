import { cofferPolicyRequest } from './azure-certificate-shapes';

describe('cofferPolicyRequest', () => {
  it('keeps the parts Coffer has, drops what Azure adds (id, attributes, nulls), defaults validity to 12 months', () => {
    expect(cofferPolicyRequest({
      id: 'https://x/certificates/a/policy', attributes: { enabled: true }, key_props: { kty: 'EC', crv: 'P-256', exportable: null },
      x509_props: { subject: 'CN=a', sans: { dns_names: ['a'], emails: null } }, issuer: { name: 'Self', cty: null },
    })).toEqual({ key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { validity_months: 12, subject: 'CN=a', sans: { dns_names: ['a'] } }, issuer: { name: 'Self' } });
  });

  it("issuer Unknown without lifetime actions gets Azure's EmailContacts; given actions are kept", () => {
    expect(cofferPolicyRequest({ issuer: { name: 'Unknown' } })?.lifetime_actions).toEqual([{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }]);
    expect(cofferPolicyRequest({ issuer: { name: 'unknown' }, lifetime_actions: [{ trigger: { days_before_expiry: 10 }, action: { action_type: 'EmailContacts' } }] })?.lifetime_actions)
      .toEqual([{ trigger: { days_before_expiry: 10 }, action: { action_type: 'EmailContacts' } }]);
    expect(cofferPolicyRequest({ issuer: { name: 'Self' } })?.lifetime_actions).toBeUndefined();
  });

  it('nothing usable is no policy', () => {
    for (const p of [undefined, null, 'x', [], {}]) expect(cofferPolicyRequest(p)).toBeUndefined();
  });
});
