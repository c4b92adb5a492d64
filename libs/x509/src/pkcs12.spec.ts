import { X509InputError } from './errors';
import { pemOf } from './pem';
import { readPemBundle } from './pem-bundle';
import { createPfx, readPfx } from './pkcs12';
import { WRONG_PASSWORD } from './pkcs12-crypto';
import { makeChain } from './testing/chain';

describe('PKCS#12 and PEM bundles', () => {
  let chain: Awaited<ReturnType<typeof makeChain>>;
  beforeAll(async () => {
    chain = await makeChain('P-256', 'ES256');
  });

  it('round-trips a PFX with key and chain', () => {
    const pfx = createPfx({ certificates: [chain.leaf, chain.intermediate, chain.root], privateKeyPkcs8: chain.leafKey.pkcs8, password: 'pässword' });
    const out = readPfx(pfx, 'pässword');
    expect(out.certificates).toEqual([chain.leaf, chain.intermediate, chain.root]);
    expect(out.privateKeyPkcs8).toEqual(chain.leafKey.pkcs8);
  });

  it('round-trips a chain-only PFX (non-exportable key) and an empty password', () => {
    const out = readPfx(createPfx({ certificates: [chain.leaf, chain.intermediate], password: '' }), '');
    expect(out.certificates).toEqual([chain.leaf, chain.intermediate]);
    expect(out.privateKeyPkcs8).toBeUndefined();
  });

  it('fails typed on a wrong password or garbage', () => {
    const pfx = createPfx({ certificates: [chain.leaf], privateKeyPkcs8: chain.leafKey.pkcs8, password: 'right' });
    expect(() => readPfx(pfx, 'wrong')).toThrow(new X509InputError(WRONG_PASSWORD));
    expect(() => readPfx(Buffer.from('garbage'), 'x')).toThrow(X509InputError);
  });

  it('refuses a key that is not the leaf certificate’s', () => {
    expect(() => createPfx({ certificates: [chain.intermediate], privateKeyPkcs8: chain.leafKey.pkcs8, password: 'x' })).toThrow(
      'private key does not match the first (leaf) certificate',
    );
  });

  it('reads a PEM bundle in any order, leaf first, and enforces the key when required', () => {
    const key = chain.leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const text = [pemOf(chain.root, 'CERTIFICATE'), key, pemOf(chain.intermediate, 'CERTIFICATE'), pemOf(chain.leaf, 'CERTIFICATE')].join('');
    const bundle = readPemBundle(text, { requireKey: true });
    expect(bundle.certificates).toEqual([chain.leaf, chain.intermediate, chain.root]);
    expect(bundle.privateKeyPkcs8).toEqual(chain.leafKey.pkcs8);

    const sec1 = chain.leafKey.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    expect(readPemBundle(pemOf(chain.leaf, 'CERTIFICATE') + sec1).privateKeyPkcs8).toEqual(chain.leafKey.pkcs8);

    const noKey = pemOf(chain.leaf, 'CERTIFICATE');
    expect(readPemBundle(noKey).privateKeyPkcs8).toBeUndefined();
    expect(() => readPemBundle(noKey, { requireKey: true })).toThrow('PEM holds no private key');
    expect(() => readPemBundle(key)).toThrow('PEM holds no CERTIFICATE block');
    expect(() => readPemBundle(pemOf(chain.root, 'CERTIFICATE') + key)).toThrow('matches none of its certificates');
  });
});
