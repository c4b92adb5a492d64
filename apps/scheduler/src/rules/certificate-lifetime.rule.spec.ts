import { CertificatePolicy } from '@coffer/contracts';
import { DEFAULT_CERTIFICATE_POLICY } from '@coffer/domain';
import { LifecycleCertificateRow } from '@coffer/read-model';
import { certificateActionsDue } from './certificate-lifetime.rule';

const NBF = '2030-01-01T00:00:00.000Z';
const EXP = '2030-01-11T00:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const row = (extra: Partial<LifecycleCertificateRow> = {}): LifecycleCertificateRow => ({
  vault: 'v', name: 'c', version: 'a'.repeat(32), created: NBF, nbf: NBF, exp: EXP, nearExpiryNotified: null, sequence: 3, policy: '{}', ...extra,
});
const policy = (issuer = 'Self'): CertificatePolicy => ({
  ...DEFAULT_CERTIFICATE_POLICY, issuer: { name: issuer },
  lifetime_actions: [
    { trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } },
    { trigger: { days_before_expiry: 3 }, action: { action_type: 'EmailContacts' } },
  ],
});

describe('certificate lifetime actions due (scheduler)', () => {
  it('nothing before the triggers; EmailContacts at notAfter − 3 days; AutoRenew at 80% of the validity', () => {
    expect(certificateActionsDue(row(), policy(), at('2030-01-07T23:59:59Z'))).toEqual([]);
    expect(certificateActionsDue(row(), policy(), at('2030-01-08T00:00:00Z'))).toEqual([{ action: 'notify-NearExpiry', due: at('2030-01-08T00:00:00Z') }]);
    expect(certificateActionsDue(row(), policy(), at('2030-01-09T00:00:00Z'))).toEqual([
      { action: 'renew', due: at('2030-01-09T00:00:00Z') }, { action: 'notify-NearExpiry', due: at('2030-01-08T00:00:00Z') },
    ]);
  });

  it('skips a notice already recorded for this exp, and once the version has expired', () => {
    expect(certificateActionsDue(row({ nearExpiryNotified: EXP }), policy(), at('2030-01-08T12:00:00Z'))).toEqual([]);
    expect(certificateActionsDue(row(), policy(), at('2030-01-12T00:00:00Z'))).toEqual([{ action: 'renew', due: at('2030-01-09T00:00:00Z') }]);
  });

  it('never renews for issuer Unknown (no CA Coffer can reach)', () => {
    expect(certificateActionsDue(row(), policy('Unknown'), at('2030-01-09T00:00:00Z')).map((d) => d.action)).toEqual(['notify-NearExpiry']);
  });
});
