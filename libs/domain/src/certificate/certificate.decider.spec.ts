import { certificateDecider, deciderScenarios } from '@coffer/read-model/testing';
import { CertificateCommand } from './certificate.commands';
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
