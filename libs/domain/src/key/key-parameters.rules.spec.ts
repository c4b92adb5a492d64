import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { InnerErrorCodes } from '@coffer/contracts';
import { ImportedJwk, resolveCreateSpec, resolveImportSpec, rotationSpecOf } from './key-parameters.rules';

const fails = (f: () => unknown, inner: string = InnerErrorCodes.InvalidKeyParameters) =>
  expect(f).toThrow(expect.objectContaining({ code: 'BadParameter', innerCode: inner }));

describe('key spec rules', () => {
  it('applies Azure defaults per family', () => {
    expect(resolveCreateSpec({ kty: 'RSA' })).toEqual({ family: 'RSA', kty: 'RSA-HSM', size: 2048, publicExponent: 65537, keyOps: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'] });
    expect(resolveCreateSpec({ kty: 'EC-HSM' })).toEqual({ family: 'EC', kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'] });
    expect(resolveCreateSpec({ kty: 'oct', key_size: 128 })).toEqual({ family: 'oct', kty: 'oct-HSM', size: 128, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] });
    expect(resolveCreateSpec({ kty: 'RSA', key_size: 4096, public_exponent: 3, key_ops: ['sign'] })).toMatchObject({ size: 4096, publicExponent: 3, keyOps: ['sign'] });
  });
  it('refuses sizes, curves and exponents that do not fit', () => {
    fails(() => resolveCreateSpec({ kty: 'RSA', key_size: 1024 }));
    fails(() => resolveCreateSpec({ kty: 'RSA', public_exponent: 4 }));
    fails(() => resolveCreateSpec({ kty: 'RSA', crv: 'P-256' }));
    fails(() => resolveCreateSpec({ kty: 'EC', key_size: 256 }));
    fails(() => resolveCreateSpec({ kty: 'oct', key_size: 512 }));
    fails(() => resolveCreateSpec({ kty: 'EC', key_ops: ['sign', 'decrypt'] }));
  });

  it('reads the spec of a private JWK to import, and checks completeness without quoting members', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ format: 'jwk' }) as ImportedJwk;
    expect(resolveImportSpec(rsa)).toMatchObject({ family: 'RSA', kty: 'RSA-HSM', size: 3072 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }) as ImportedJwk;
    expect(resolveImportSpec(ec, ['sign'])).toEqual({ family: 'EC', kty: 'EC-HSM', crv: 'P-384', keyOps: ['sign'] });
    const k = randomBytes(24).toString('base64url');
    expect(resolveImportSpec({ kty: 'oct', k })).toMatchObject({ family: 'oct', size: 192 });
    const { d: _d, ...publicOnly } = rsa;
    fails(() => resolveImportSpec(publicOnly as ImportedJwk));
    try {
      resolveImportSpec({ ...ec, k });
    } catch (e) {
      expect((e as Error).message).not.toContain(k);
    }
    fails(() => resolveImportSpec({ ...ec, k }));
    fails(() => resolveImportSpec({ kty: 'oct', k: randomBytes(20).toString('base64url') }));
    fails(() => resolveImportSpec({ ...ec, x: randomBytes(32).toString('base64url') }));
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as ImportedJwk;
    fails(() => resolveImportSpec(small));
  });

  it('rotates with the same size, curve and exponent', () => {
    const base = { version: 'v', hsmKeyId: 'h', keyOps: ['sign' as const], attributes: { enabled: true } };
    expect(rotationSpecOf({ ...base, kty: 'RSA-HSM', keySize: 3072, publicKey: { kty: 'RSA', n: 'AA', e: 'AQAB' } })).toMatchObject({ size: 3072, publicExponent: 65537 });
    expect(rotationSpecOf({ ...base, kty: 'RSA-HSM', keySize: 2048, publicKey: { kty: 'RSA', n: 'AA', e: 'Aw' } })).toMatchObject({ publicExponent: 3 });
    expect(rotationSpecOf({ ...base, kty: 'EC-HSM', crv: 'P-256K', publicKey: { kty: 'EC', crv: 'P-256K', x: '', y: '' } })).toMatchObject({ family: 'EC', crv: 'P-256K' });
    expect(rotationSpecOf({ ...base, kty: 'oct-HSM', keySize: 128, publicKey: { kty: 'oct' } })).toMatchObject({ family: 'oct', size: 128 });
  });
});
