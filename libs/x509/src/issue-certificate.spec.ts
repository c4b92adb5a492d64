import { X509Certificate } from 'node:crypto';
import { parseCertificate, verifyIssuedBy } from './certificate';
import { X509Error, X509InputError } from './errors';
import { issueCertificate, IssueCertificateRequest } from './issue-certificate';
import { EKU } from './key-usage';
import { pemOf } from './pem';
import { publicKeysEqual } from './public-keys';
import { addValidityMonths } from './validity';
import { makeChain } from './testing/chain';
import { softKey, softSigner } from './testing/soft-signer';

const notBefore = new Date('2025-03-01T10:00:00.789Z');
const notAfter = new Date('2026-03-01T10:00:00Z');

describe('issueCertificate', () => {
  const key = softKey('P-256');
  const base = (): IssueCertificateRequest => ({
    subject: 'CN=www.example.com, O=Acme, C=US',
    subjectPublicKey: key.publicJwk,
    sans: { dnsNames: ['www.example.com', '*.example.com'], emails: ['ops@example.com'], upns: ['svc@corp.example'], ipAddresses: ['10.1.2.3', '2001:db8::1'], uris: ['spiffe://example.com/web'] },
    notBefore,
    notAfter,
    issuer: 'self',
    signer: softSigner(key, 'ES256'),
  });

  it('issues a self-signed leaf whose parse round-trips every field', async () => {
    const der = await issueCertificate(base());
    const c = parseCertificate(der);
    expect(c.subject).toBe('CN=www.example.com, O=Acme, C=US');
    expect(c.issuer).toBe(c.subject);
    expect(c.notBefore.toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(c.notAfter).toEqual(notAfter);
    expect(c.sans).toEqual({
      dnsNames: ['www.example.com', '*.example.com'],
      emails: ['ops@example.com'],
      upns: ['svc@corp.example'],
      ipAddresses: ['10.1.2.3', '2001:db8::1'],
      uris: ['spiffe://example.com/web'],
    });
    expect(c.keyUsage).toEqual(['digitalSignature']);
    expect(c.ekus).toEqual([EKU.serverAuth, EKU.clientAuth]);
    expect(c.isCa).toBe(false);
    expect(publicKeysEqual(c.publicKey, key.publicJwk)).toBe(true);
    expect(c.ski).toMatch(/^[0-9a-f]{40}$/);
    expect(c.aki).toBe(c.ski);
    expect(c.serialNumber).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(c.x5t).toBe(new X509Certificate(der).fingerprint.replace(/:/g, '') && Buffer.from(new X509Certificate(der).fingerprint.replace(/:/g, ''), 'hex').toString('base64url'));
    expect(c.x5tS256).toBe(Buffer.from(new X509Certificate(der).fingerprint256.replace(/:/g, ''), 'hex').toString('base64url'));
    expect(parseCertificate(pemOf(der, 'CERTIFICATE')).x5t).toBe(c.x5t);
    expect(verifyIssuedBy(der, der)).toBe(true);
  });

  it('uses RSA leaf defaults and the given serial number', async () => {
    const rsa = softKey('RSA-2048');
    const der = await issueCertificate({ ...base(), sans: undefined, subjectPublicKey: rsa.publicJwk, signer: softSigner(rsa, 'RS256'), serialNumber: '00FF01' });
    const c = parseCertificate(der);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.serialNumber).toBe('ff01');
  });

  it('gives every certificate a different serial number', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) serials.add(parseCertificate(await issueCertificate(base())).serialNumber);
    expect(serials.size).toBe(5);
  });

  it.each([['P-256', 'ES256'], ['P-384', 'ES384'], ['P-521', 'ES512'], ['RSA-2048', 'RS256'], ['RSA-2048', 'PS256'], ['RSA-2048', 'PS384']] as const)(
    'builds a root → intermediate → leaf chain with %s %s',
    async (spec, alg) => {
      const chain = await makeChain(spec, alg);
      const root = parseCertificate(chain.root);
      const inter = parseCertificate(chain.intermediate);
      const leaf = parseCertificate(chain.leaf);
      expect(root.isCa).toBe(true);
      expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
      expect(root.ekus).toBeUndefined();
      expect(inter.isCa).toBe(true);
      expect(inter.pathLength).toBe(0);
      expect(inter.aki).toBe(root.ski);
      expect(inter.crlDistributionPoints).toEqual(['http://crl.example.com/root.crl']);
      expect(leaf.aki).toBe(inter.ski);
      expect(leaf.issuer).toBe(inter.subject);
      expect(verifyIssuedBy(chain.intermediate, chain.root)).toBe(true);
      expect(verifyIssuedBy(chain.leaf, chain.intermediate)).toBe(true);
      expect(verifyIssuedBy(chain.leaf, chain.root)).toBe(false);
      expect(verifyIssuedBy(chain.intermediate, chain.leaf)).toBe(false);
    },
  );

  it('does not verify a certificate whose signature was altered', async () => {
    const der = Buffer.from(await issueCertificate(base()));
    der[der.length - 5] ^= 0x01;
    expect(verifyIssuedBy(der, der)).toBe(false);
  });

  describe('rejects bad input before signing', () => {
    const counter = { calls: 0 };
    const bad = (patch: Partial<IssueCertificateRequest>) => issueCertificate({ ...base(), signer: softSigner(key, 'ES256', counter), ...patch });
    afterAll(() => expect(counter.calls).toBe(0));

    it.each<[string, Partial<IssueCertificateRequest>, string]>([
      ['invalid subject', { subject: 'www.example.com' }, 'invalid distinguished name'],
      ['an IP that is not one', { sans: { ipAddresses: ['10.0.0.256'] } }, "SAN IP address '10.0.0.256'"],
      ['a non-email', { sans: { emails: ['not-an-email'] } }, "SAN email 'not-an-email'"],
      ['a bad DNS name', { sans: { dnsNames: ['bad_host!.com'] } }, "SAN DNS name 'bad_host!.com'"],
      ['a relative URI', { sans: { uris: ['/relative'] } }, "SAN URI '/relative'"],
      ['a bad UPN', { sans: { upns: ['nobody'] } }, "SAN UPN 'nobody'"],
      ['notAfter = notBefore', { notAfter: notBefore }, 'notAfter must be after notBefore'],
      ['notAfter < notBefore', { notAfter: new Date('2020-01-01') }, 'notAfter must be after notBefore'],
      ['an invalid date', { notBefore: new Date('nope') }, 'notBefore must be a valid date'],
      ['an unknown key usage', { keyUsage: ['signEverything' as never] }, "unknown key usage 'signEverything'"],
      ['a non-OID EKU', { ekus: ['serverAuth'] }, "EKU 'serverAuth' is not an OID"],
      ['a zero serial', { serialNumber: '00' }, 'serial number must not be zero'],
      ['a too long serial', { serialNumber: 'ff'.repeat(20) }, '20 octets'],
      ['a bad JWK', { subjectPublicKey: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } }, 'subject public key is not a valid EC key'],
      ['an unsupported curve', { subjectPublicKey: { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' } }, 'EC curve must be one of'],
      ['a self-signed cert with another key', { signer: softSigner(softKey('P-256'), 'ES256', counter) }, 'must be signed with the subject key'],
      ['a signer algorithm for another curve', { signer: softSigner(key, 'ES384', counter) }, 'ES384 needs a P-384 key'],
      ['a negative path length', { ca: { pathLength: -1 } }, 'pathLength'],
    ])('%s', async (_what, patch, message) => {
      const p = bad(patch);
      await expect(p).rejects.toThrow(X509InputError);
      await expect(bad(patch)).rejects.toThrow(message);
    });

    it('an issuer that is not a CA, or a signer that does not match the issuer', async () => {
      const leaf = await issueCertificate(base());
      await expect(bad({ issuer: { certificate: leaf } })).rejects.toThrow('is not a CA certificate');
      const chain = await makeChain('P-256', 'ES256');
      await expect(bad({ issuer: { certificate: chain.intermediate } })).rejects.toThrow('signer key does not match the issuer certificate');
      await expect(
        issueCertificate({ ...base(), ca: {}, issuer: { certificate: chain.intermediate }, signer: softSigner(chain.intermediateKey, 'ES256') }),
      ).rejects.toThrow('pathLength 0');
      await expect(bad({ issuer: { certificate: Buffer.from('garbage') } })).rejects.toThrow('certificate is not valid DER/PEM');
    });
  });

  it('refuses a signer that returns a signature of the wrong size (typed, internal)', async () => {
    const broken = { ...softSigner(key, 'ES256'), sign: async () => Buffer.alloc(70) };
    await expect(issueCertificate({ ...base(), signer: broken })).rejects.toThrow(X509Error);
  });
});

describe('addValidityMonths', () => {
  it('adds calendar months and clamps to the month end', () => {
    expect(addValidityMonths(new Date('2025-01-31T12:00:00Z'), 1).toISOString()).toBe('2025-02-28T12:00:00.000Z');
    expect(addValidityMonths(new Date('2024-03-15T00:00:00Z'), 12).toISOString()).toBe('2025-03-15T00:00:00.000Z');
  });
  it('refuses validity 0', () => {
    expect(() => addValidityMonths(new Date(), 0)).toThrow(X509InputError);
  });
});
