import { CofferError } from '@coffer/contracts';
import { ImportedCertificateFacts, importedCertificatePolicy } from './certificate-import.rules';

const facts: ImportedCertificateFacts = {
  kty: 'EC', crv: 'P-256', subject: 'CN=imported.example', sans: { dns_names: ['imported.example'], emails: [] }, ekus: ['1.3.6.1.5.5.7.3.1'],
  keyUsage: ['digitalSignature'], notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2031-01-01T00:00:00Z'), contentType: 'application/x-pem-file',
};

describe('importedCertificatePolicy', () => {
  it('given only the certificate: its key, subject, SANs, usages and validity; issuer Unknown; not exportable', () => {
    expect(importedCertificatePolicy(facts)).toEqual({
      key_props: { kty: 'EC', crv: 'P-256', exportable: false, reuse_key: false },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: {
        subject: 'CN=imported.example', sans: { dns_names: ['imported.example'] }, ekus: ['1.3.6.1.5.5.7.3.1'], key_usage: ['digitalSignature'], validity_months: 12,
      },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Unknown' },
    });
  });

  it('the request may make the key exportable but not change what the key is', () => {
    const p = importedCertificatePolicy(facts, { key_props: { kty: 'EC', crv: 'P-384', exportable: true } });
    expect(p.key_props).toEqual({ kty: 'EC', crv: 'P-256', exportable: true, reuse_key: false });
  });

  it('a key_props for another key type is BadParameter', () => {
    expect(() => importedCertificatePolicy(facts, { key_props: { kty: 'RSA' } })).toThrow(CofferError);
    expect(() => importedCertificatePolicy(facts, { key_props: { kty: 'RSA' } })).toThrow(/imported key is EC/);
  });
});
