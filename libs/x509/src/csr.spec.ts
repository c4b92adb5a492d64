import { createCsr, parseCsr } from './csr';
import { X509InputError } from './errors';
import { EKU } from './key-usage';
import { pemOf } from './pem';
import { publicKeysEqual } from './public-keys';
import { softKey, softSigner } from './testing/soft-signer';

describe('createCsr / parseCsr', () => {
  it.each([['P-256', 'ES256'], ['P-384', 'ES384'], ['RSA-2048', 'RS256'], ['RSA-2048', 'PS256']] as const)('round-trips a %s %s CSR', async (spec, alg) => {
    const key = softKey(spec);
    const der = await createCsr({
      subject: 'CN=api.example.com, OU=Platform, O=Acme, C=DE',
      subjectPublicKey: key.publicJwk,
      sans: { dnsNames: ['api.example.com'], ipAddresses: ['192.0.2.7'], emails: ['pki@example.com'] },
      keyUsage: ['digitalSignature', 'keyAgreement'],
      ekus: [EKU.serverAuth],
      signer: softSigner(key, alg),
    });
    for (const input of [der, pemOf(der, 'CERTIFICATE REQUEST')]) {
      const csr = parseCsr(input);
      expect(csr.subject).toBe('CN=api.example.com, OU=Platform, O=Acme, C=DE');
      expect(publicKeysEqual(csr.publicKey, key.publicJwk)).toBe(true);
      expect(csr.sans.dnsNames).toEqual(['api.example.com']);
      expect(csr.sans.ipAddresses).toEqual(['192.0.2.7']);
      expect(csr.sans.emails).toEqual(['pki@example.com']);
      expect(csr.keyUsage).toEqual(['digitalSignature', 'keyAgreement']);
      expect(csr.ekus).toEqual([EKU.serverAuth]);
    }
  });

  it('rejects a tampered CSR', async () => {
    const key = softKey('P-256');
    const der = await createCsr({ subject: 'CN=honest.example.com', subjectPublicKey: key.publicJwk, signer: softSigner(key, 'ES256') });
    const i = der.indexOf(Buffer.from('honest'));
    const tampered = Buffer.from(der);
    tampered.write('evil!!', i, 'latin1');
    expect(() => parseCsr(tampered)).toThrow(X509InputError);
    expect(() => parseCsr(tampered)).toThrow('CSR signature does not verify');
    expect(() => parseCsr(Buffer.from('not a csr'))).toThrow('CSR is not valid DER/PEM');
  });

  it('refuses to sign a CSR with another key than the subject key', async () => {
    const key = softKey('P-256');
    await expect(
      createCsr({ subject: 'CN=a', subjectPublicKey: key.publicJwk, signer: softSigner(softKey('P-256'), 'ES256') }),
    ).rejects.toThrow('a CSR must be signed with the subject key');
  });
});
