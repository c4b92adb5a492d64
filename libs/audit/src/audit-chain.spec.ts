import { createHash } from 'node:crypto';
import { AuditRecord } from '@coffer/contracts';
import { canonicalJson } from './canonical-json';
import {
  chainHash, checkpointDigest, checkpointPayload, checkpointSignatureValid, decodeAuditBody, GENESIS_HASH, MALFORMED_ACTION, parseCheckpoint,
} from './audit-chain';
import { SoftwareSigner } from './testing/software-signer';

const rec = (over: Partial<AuditRecord> = {}): AuditRecord => ({
  time: '2025-01-01T00:00:00.000Z', requestId: 'r-1', principal: 'p-1', action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  objectId: '/vaults/prod/secrets/db', outcome: 'succeeded', subject: 'coffer.v1.vault.prod.secret.get', ...over,
});

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, e: null })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"e":null}');
    expect(canonicalJson({ x: 'é"\n' })).toBe('{"x":"é\\"\\n"}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });
});

describe('chainHash', () => {
  it('is SHA-256(prev ‖ decimal seq ‖ canonical JSON), from 32 zero bytes', () => {
    const r = rec();
    const expected = createHash('sha256').update(Buffer.alloc(32)).update('7').update(canonicalJson(r)).digest('hex');
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(chainHash(GENESIS_HASH, 7, r)).toBe(expected);
  });

  it('depends on the previous hash, the sequence and every field, not on key order or absent optionals', () => {
    const h = chainHash(GENESIS_HASH, 1, rec());
    expect(chainHash(GENESIS_HASH, 2, rec())).not.toBe(h);
    expect(chainHash(h, 1, rec())).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, rec({ principal: 'p-2' }))).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, rec({ version: 'v1' }))).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, { ...rec(), version: undefined })).toBe(h);
    const reversed = Object.fromEntries(Object.entries(rec()).reverse()) as unknown as AuditRecord;
    expect(chainHash(GENESIS_HASH, 1, reversed)).toBe(h);
  });
});

describe('decodeAuditBody', () => {
  const enc = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x));

  it('keeps the record fields and drops unknown ones', () => {
    expect(decodeAuditBody(enc({ ...rec({ errorCode: 'Forbidden' }), extra: 1 }))).toEqual(rec({ errorCode: 'Forbidden' }));
  });

  it('chains a malformed body as a malformed record naming the SHA-256 of its bytes', () => {
    const body = enc('{"time":');
    const r = decodeAuditBody(body);
    expect(r.action).toBe(MALFORMED_ACTION);
    expect(r.objectId).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
    expect(decodeAuditBody(enc({ ...rec(), outcome: 'maybe' })).action).toBe(MALFORMED_ACTION);
    expect(decodeAuditBody(enc('{"time":1}')).objectId).not.toBe(r.objectId);
  });
});

describe('checkpoint signatures', () => {
  const signer = new SoftwareSigner();
  const unsigned = { sequence: 10, count: 9, head: 'ab'.repeat(32), time: '2025-01-01T00:00:00.000Z', keyId: signer.keyId };

  it('signs the SHA-256 of the canonical payload; node:crypto verifies it (ieee-p1363)', async () => {
    expect(checkpointPayload(unsigned)).toBe(canonicalJson(unsigned));
    const signature = (await signer.sign(checkpointDigest(unsigned))).toString('base64');
    expect(checkpointSignatureValid({ ...unsigned, signature }, signer.jwk)).toBe(true);
    expect(checkpointSignatureValid({ ...unsigned, count: 10, signature }, signer.jwk)).toBe(false);
    expect(checkpointSignatureValid({ ...unsigned, signature }, new SoftwareSigner().jwk)).toBe(false);
    expect(checkpointSignatureValid({ ...unsigned, signature: 'AAAA' }, signer.jwk)).toBe(false);
  });

  it('parses checkpoint messages and rejects other shapes', () => {
    const c = { ...unsigned, signature: 'c2ln' };
    expect(parseCheckpoint(Buffer.from(JSON.stringify(c)))).toEqual(c);
    expect(parseCheckpoint(Buffer.from('nope'))).toBeUndefined();
    expect(parseCheckpoint(Buffer.from(JSON.stringify({ ...c, count: '9' })))).toBeUndefined();
  });
});
