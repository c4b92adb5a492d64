import { createHash } from 'node:crypto';
import { AuditRecord } from '@coffer/contracts';
import { canonicalJson } from '@coffer/contracts';
import {
  chainHash, checkpointDigest, checkpointPayload, checkpointSignatureValid, decodeAuditMessage, encodeAuditBatch, GENESIS_HASH, MALFORMED_ACTION,
  parseCheckpoint,
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
  it('is SHA-256(prev ‖ seq[.index] ‖ canonical JSON), from 32 zero bytes; index 0 hashes as before group commit', () => {
    const r = rec();
    const sha = (id: string) => createHash('sha256').update(Buffer.alloc(32)).update(id).update(canonicalJson(r)).digest('hex');
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(chainHash(GENESIS_HASH, 7, 0, r)).toBe(sha('7'));
    expect(chainHash(GENESIS_HASH, 7, 3, r)).toBe(sha('7.3'));
  });

  it('depends on the previous hash, the sequence, the index and every field, not on key order or absent optionals', () => {
    const h = chainHash(GENESIS_HASH, 1, 0, rec());
    expect(chainHash(GENESIS_HASH, 2, 0, rec())).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, 1, rec())).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 11, 0, rec())).not.toBe(chainHash(GENESIS_HASH, 1, 1, rec()));
    expect(chainHash(h, 1, 0, rec())).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, 0, rec({ principal: 'p-2' }))).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, 0, rec({ version: 'v1' }))).not.toBe(h);
    expect(chainHash(GENESIS_HASH, 1, 0, { ...rec(), version: undefined })).toBe(h);
    const reversed = Object.fromEntries(Object.entries(rec()).reverse()) as unknown as AuditRecord;
    expect(chainHash(GENESIS_HASH, 1, 0, reversed)).toBe(h);
  });
});

describe('summary records', () => {
  it('chain their count and time span; records without them hash as before', () => {
    const summary = rec({ requestId: 'summary', principal: null, outcome: 'failed', errorCode: 'BadParameter', count: 97, lastTime: '2025-01-01T00:00:09.000Z' });
    expect(decodeAuditMessage(Buffer.from(JSON.stringify([summary])))).toEqual([summary]);
    expect(chainHash(GENESIS_HASH, 1, 0, summary)).not.toBe(chainHash(GENESIS_HASH, 1, 0, { ...summary, count: 96 }));
    expect(chainHash(GENESIS_HASH, 1, 0, summary)).not.toBe(chainHash(GENESIS_HASH, 1, 0, { ...summary, lastTime: '2025-01-01T00:00:08.000Z' }));
    expect(chainHash(GENESIS_HASH, 1, 0, rec())).toBe(chainHash(GENESIS_HASH, 1, 0, { ...rec(), count: undefined, lastTime: undefined }));
    expect(decodeAuditMessage(Buffer.from(JSON.stringify([{ ...summary, count: 0 }])))[0].action).toBe(MALFORMED_ACTION);
  });
});

describe('decodeAuditMessage', () => {
  const enc = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x));
  const sha = (x: string | Buffer) => `sha256:${createHash('sha256').update(x).digest('hex')}`;

  it('reads a batch in order, keeping the record fields and dropping unknown ones', () => {
    const body = encodeAuditBatch([JSON.stringify({ ...rec({ errorCode: 'Forbidden' }), extra: 1 }), JSON.stringify(rec({ requestId: 'r-2' }))]);
    expect(decodeAuditMessage(enc(body))).toEqual([rec({ errorCode: 'Forbidden' }), rec({ requestId: 'r-2' })]);
  });

  it('reads a single record (the format before group commit) as a batch of one', () => {
    expect(decodeAuditMessage(enc(rec()))).toEqual([rec()]);
  });

  it('chains a malformed body as one malformed record naming the SHA-256 of its bytes', () => {
    const body = enc('{"time":');
    const [r, ...more] = decodeAuditMessage(body);
    expect(more).toEqual([]);
    expect(r.action).toBe(MALFORMED_ACTION);
    expect(r.objectId).toBe(sha(body));
    expect(decodeAuditMessage(enc({ ...rec(), outcome: 'maybe' }))[0].action).toBe(MALFORMED_ACTION);
    expect(decodeAuditMessage(enc('{"time":1}'))[0].objectId).not.toBe(r.objectId);
    expect(decodeAuditMessage(enc('[]'))).toEqual([expect.objectContaining({ action: MALFORMED_ACTION, objectId: sha(enc('[]')) })]);
  });

  it('chains a malformed element of a batch in its place, naming the SHA-256 of its JSON', () => {
    const bad = { ...rec(), outcome: 'maybe' };
    const out = decodeAuditMessage(enc([rec(), bad, rec({ requestId: 'r-3' })]));
    expect(out.map((r) => r.action)).toEqual([rec().action, MALFORMED_ACTION, rec().action]);
    expect(out[1].objectId).toBe(sha(JSON.stringify(bad)));
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
