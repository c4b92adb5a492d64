import { InnerErrorCodes } from '@coffer/contracts';
import {
  assertDigestLength, assertGcmDecryptParameters, assertKeyPermits, assertRsaPlaintextFits, encryptionSpecFor, OperableKey,
  rsaMaxPlaintextBytes, signatureSpecFor, wrapSpecFor,
} from './key-operation.rules';

const now = new Date('2026-06-01T00:00:00.000Z');
const rsa: OperableKey = { version: 'r', kty: 'RSA-HSM', keySize: 2048, keyOps: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'], attributes: { enabled: true } };
const ec: OperableKey = { version: 'e', kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'], attributes: { enabled: true } };
const k256K: OperableKey = { ...ec, crv: 'P-256K' };
const aes128: OperableKey = { version: 'a', kty: 'oct-HSM', keySize: 128, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], attributes: { enabled: true } };
const err = (code: string, inner?: string) => expect.objectContaining({ code, ...(inner && { innerCode: inner }) });

describe('key operation rules', () => {
  it('disabled keys refuse everything', () => {
    for (const op of ['sign', 'verify', 'decrypt'] as const) {
      expect(() => assertKeyPermits({ ...rsa, attributes: { enabled: false } }, op, now)).toThrow(err('Forbidden', InnerErrorCodes.KeyDisabled));
    }
  });
  it('enforces key_ops', () => {
    expect(() => assertKeyPermits({ ...rsa, keyOps: ['verify'] }, 'sign', now)).toThrow(err('Forbidden', InnerErrorCodes.KeyOperationNotAllowed));
    expect(() => assertKeyPermits({ ...rsa, keyOps: ['verify'] }, 'verify', now)).not.toThrow();
  });
  it('expired keys refuse encrypt/sign/wrapKey but allow decrypt/verify/unwrapKey', () => {
    const expired = { ...rsa, attributes: { enabled: true, exp: '2026-01-01T00:00:00.000Z' } };
    for (const op of ['encrypt', 'sign', 'wrapKey'] as const) expect(() => assertKeyPermits(expired, op, now)).toThrow(err('Forbidden', InnerErrorCodes.KeyExpired));
    for (const op of ['decrypt', 'verify', 'unwrapKey'] as const) expect(() => assertKeyPermits(expired, op, now)).not.toThrow();
  });
  it('not-yet-valid keys refuse encrypt/sign/wrapKey but allow decrypt/verify/unwrapKey', () => {
    const early = { ...rsa, attributes: { enabled: true, nbf: '2027-01-01T00:00:00.000Z' } };
    for (const op of ['encrypt', 'sign', 'wrapKey'] as const) expect(() => assertKeyPermits(early, op, now)).toThrow(err('Forbidden', InnerErrorCodes.KeyNotYetValid));
    for (const op of ['decrypt', 'verify', 'unwrapKey'] as const) expect(() => assertKeyPermits(early, op, now)).not.toThrow();
  });

  it('matches signature algorithms to family and curve', () => {
    expect(signatureSpecFor('PS384', rsa)).toMatchObject({ padding: 'pss', digestBytes: 48 });
    expect(signatureSpecFor('ES256', ec)).toMatchObject({ curve: 'P-256' });
    expect(signatureSpecFor('ES256K', k256K)).toMatchObject({ curve: 'P-256K' });
    expect(() => signatureSpecFor('ES256', rsa)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => signatureSpecFor('RS256', ec)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => signatureSpecFor('ES384', ec)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => signatureSpecFor('ES256', k256K)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
  });
  it('checks digest lengths', () => {
    expect(() => assertDigestLength('RS256', new Uint8Array(32))).not.toThrow();
    expect(() => assertDigestLength('ES512', new Uint8Array(64))).not.toThrow();
    expect(() => assertDigestLength('RS384', new Uint8Array(32))).toThrow(err('BadParameter', InnerErrorCodes.InvalidDigestLength));
  });

  it('matches cipher and wrap algorithms to the key', () => {
    expect(encryptionSpecFor('RSA-OAEP-256', rsa)).toEqual({ kind: 'rsa', alg: 'RSA-OAEP-256', padding: 'oaep', hash: 'sha256' });
    expect(encryptionSpecFor('RSA1_5', rsa)).toEqual({ kind: 'rsa', alg: 'RSA1_5', padding: 'pkcs1' });
    expect(encryptionSpecFor('A128GCM', aes128)).toEqual({ kind: 'aes-gcm', alg: 'A128GCM', bits: 128 });
    expect(wrapSpecFor('A128KW', aes128)).toEqual({ kind: 'aes-kw', alg: 'A128KW', bits: 128 });
    expect(() => encryptionSpecFor('A256GCM', aes128)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => encryptionSpecFor('RSA-OAEP', aes128)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => encryptionSpecFor('A128GCM', rsa)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => wrapSpecFor('A128KW', ec)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
    expect(() => wrapSpecFor('RSA-OAEP', ec)).toThrow(err('BadParameter', InnerErrorCodes.AlgorithmNotSupported));
  });
  it('bounds RSA plaintexts and requires GCM iv and tag', () => {
    const oaep = encryptionSpecFor('RSA-OAEP', rsa) as Extract<ReturnType<typeof encryptionSpecFor>, { kind: 'rsa' }>;
    expect(rsaMaxPlaintextBytes(oaep, 2048)).toBe(214);
    expect(() => assertRsaPlaintextFits(oaep, 2048, new Uint8Array(215))).toThrow(err('BadParameter', InnerErrorCodes.ValueTooLarge));
    expect(() => assertGcmDecryptParameters(undefined, new Uint8Array(16))).toThrow(err('BadParameter', InnerErrorCodes.MissingParameter));
    expect(() => assertGcmDecryptParameters(new Uint8Array(12), new Uint8Array(15))).toThrow(err('BadParameter'));
    expect(() => assertGcmDecryptParameters(new Uint8Array(12), new Uint8Array(16))).not.toThrow();
  });
});
