import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { KeyCreateRequest, KeyImportRequest, KeyRotationPolicySetRequest, KeySignRequest, KeyDataKeyRequest, KeyRandomRequest, KeyBatchSignRequest } from './key-requests';

const problems = (type: new () => object, body: object) =>
  validateSync(plainToInstance(type, body) as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });

describe('key request DTOs', () => {
  it('accept the documented bodies', () => {
    expect(problems(KeyCreateRequest, { name: 'k', kty: 'RSA-HSM', key_size: 3072, public_exponent: 65537, key_ops: ['sign'], attributes: { enabled: true }, tags: { a: 'b' } })).toEqual([]);
    expect(problems(KeyImportRequest, { name: 'k', key: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', d: 'ZA' } })).toEqual([]);
    expect(problems(KeySignRequest, { name: 'k', alg: 'ES256K', value: 'AAAA' })).toEqual([]);
    expect(problems(KeyRotationPolicySetRequest, {
      name: 'k', lifetimeActions: [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } }], attributes: { expiryTime: 'P1Y' },
    })).toEqual([]);
  });
  it('refuse unknown fields, bad base64url, unknown algorithms and out-of-range counts', () => {
    expect(problems(KeyCreateRequest, { name: 'k', kty: 'RSA', size: 2048 })).not.toEqual([]);
    expect(problems(KeyCreateRequest, { name: 'k', kty: 'DSA' })).not.toEqual([]);
    expect(problems(KeyImportRequest, { name: 'k', key: { kty: 'oct', k: 'AAAA', kid: 'x' } })).not.toEqual([]);
    expect(problems(KeySignRequest, { name: 'k', alg: 'RS256', value: '***' })).not.toEqual([]);
    expect(problems(KeySignRequest, { name: 'k', alg: 'RS256', value: 'AAAAA' })).not.toEqual([]);
    expect(problems(KeySignRequest, { name: 'k', alg: 'HS256', value: 'AAAA' })).not.toEqual([]);
    expect(problems(KeyDataKeyRequest, { name: 'k', alg: 'A256KW', bytes: 8 })).not.toEqual([]);
    expect(problems(KeyRandomRequest, { count: 1025 })).not.toEqual([]);
    expect(problems(KeyBatchSignRequest, { name: 'k', alg: 'ES256', items: [] })).not.toEqual([]);
    expect(problems(KeyRotationPolicySetRequest, { name: 'k', lifetimeActions: [{ trigger: { timeAfterCreate: '90 days' }, action: { type: 'Rotate' } }] })).not.toEqual([]);
  });
});
