import { createCrl, parseCrl } from './crl';
import { parseCertificate } from './certificate';
import { X509InputError } from './errors';
import { makeChain } from './testing/chain';
import { softKey, softSigner } from './testing/soft-signer';

describe('createCrl / parseCrl', () => {
  it('signs a v2 CRL with AKI, CRL number and reasons, and verifies it', async () => {
    const chain = await makeChain('P-256', 'ES256');
    const leaf = parseCertificate(chain.leaf);
    const thisUpdate = new Date('2025-06-01T00:00:00Z');
    const der = await createCrl({
      issuerCertificate: chain.intermediate,
      revoked: [
        { serialNumber: leaf.serialNumber, revocationDate: new Date('2025-05-30T12:00:00Z'), reason: 'keyCompromise' },
        { serialNumber: '0a0b', revocationDate: new Date('2025-05-31T12:00:00Z') },
      ],
      thisUpdate,
      nextUpdate: new Date('2025-06-08T00:00:00Z'),
      crlNumber: 7,
      signer: softSigner(chain.intermediateKey, 'ES256'),
    });
    const crl = parseCrl(der, chain.intermediate);
    expect(crl.signatureValid).toBe(true);
    expect(crl.issuer).toBe(parseCertificate(chain.intermediate).subject);
    expect(crl.crlNumber).toBe(7);
    expect(crl.aki).toBe(parseCertificate(chain.intermediate).ski);
    expect(crl.thisUpdate).toEqual(thisUpdate);
    expect(crl.revoked).toEqual([
      { serialNumber: leaf.serialNumber, revocationDate: new Date('2025-05-30T12:00:00Z'), reason: 'keyCompromise' },
      { serialNumber: '0a0b', revocationDate: new Date('2025-05-31T12:00:00Z'), reason: undefined },
    ]);
    expect(parseCrl(der, chain.root).signatureValid).toBe(false);
  });

  it('rejects bad input', async () => {
    const chain = await makeChain('P-256', 'ES256');
    const ok = {
      issuerCertificate: chain.intermediate,
      revoked: [],
      thisUpdate: new Date('2025-06-01'),
      nextUpdate: new Date('2025-06-08'),
      crlNumber: 1,
      signer: softSigner(chain.intermediateKey, 'ES256'),
    };
    await expect(createCrl({ ...ok, nextUpdate: ok.thisUpdate })).rejects.toThrow('nextUpdate must be after thisUpdate');
    await expect(createCrl({ ...ok, crlNumber: -1 })).rejects.toThrow(X509InputError);
    await expect(createCrl({ ...ok, revoked: [{ serialNumber: 'xyz', revocationDate: new Date() }] })).rejects.toThrow('serial number must be hex');
    await expect(createCrl({ ...ok, signer: softSigner(softKey('P-256'), 'ES256') })).rejects.toThrow('signer key does not match');
    await expect(createCrl({ ...ok, issuerCertificate: chain.leaf })).rejects.toThrow('is not a CA certificate');
  });
});
