import { AuditCheckpoint, AuditRecord } from '@coffer/contracts';
import { chainHash, checkpointDigest, GENESIS_HASH } from './audit-chain';
import { SoftwareSigner } from './testing/software-signer';
import { ChainRow, FoundCheckpoint, StreamRecord, verifyAuditTrail, VerifyAuditInput } from './verify-audit-trail';

const signer = new SoftwareSigner();
const rec = (i: number): AuditRecord => ({
  time: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, requestId: `r-${i}`, principal: `p-${i % 3}`,
  action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', objectId: `/vaults/prod/secrets/s${i}`, outcome: 'succeeded',
  subject: 'coffer.v1.vault.prod.secret.get',
});

function chain(stream: StreamRecord[]): ChainRow[] {
  let prev = GENESIS_HASH;
  return stream.map((s, i) => ({ seq: s.seq, index: s.index, position: i + 1, record: s.record, hash: (prev = chainHash(prev, s.seq, s.index, s.record)) }));
}

/** A checkpoint after the last record of the message at `uptoSeq`. */
async function checkpointOf(rows: ChainRow[], uptoSeq: number, over: Partial<AuditCheckpoint> = {}): Promise<FoundCheckpoint> {
  const row = rows.filter((r) => r.seq === uptoSeq).pop()!;
  const unsigned = { sequence: row.seq, count: row.position, head: row.hash, time: '2025-01-01T01:00:00.000Z', keyId: signer.keyId, ...over };
  const signature = (await signer.sign(checkpointDigest(unsigned))).toString('base64');
  return { checkpoint: { ...unsigned, signature }, source: 'test' };
}

/** 10 records at stream sequences 1..10, all chained, checkpoints at 5 and 10. */
async function clean(): Promise<VerifyAuditInput> {
  const stream = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, index: 0, record: rec(i + 1) }));
  const rows = chain(stream);
  return { stream, rows, upTo: 10, checkpoints: [await checkpointOf(rows, 5), await checkpointOf(rows, 10)], jwk: signer.jwk, keyId: signer.keyId };
}

const kinds = (input: VerifyAuditInput) => verifyAuditTrail(input).problems.map((p) => [p.kind, p.sequence]);

describe('verifyAuditTrail', () => {
  it('verifies a clean trail', async () => {
    expect(verifyAuditTrail(await clean())).toEqual({ ok: true, checkedRecords: 10, checkpoints: 2, problems: [] });
  });

  it('ignores stream records past upTo (in flight to the audit app) and duplicate checkpoints', async () => {
    const input = await clean();
    input.stream.push({ seq: 11, index: 0, record: rec(11) });
    input.checkpoints.push(input.checkpoints[0]);
    expect(verifyAuditTrail(input)).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('modified: a stream record whose content no longer matches its chained hash', async () => {
    const input = await clean();
    input.stream[3] = { seq: 4, index: 0, record: { ...rec(4), principal: 'mallory' } };
    expect(kinds(input)).toEqual([['modified', 4]]);
    expect(verifyAuditTrail(input).problems[0].detail).toContain('stream record');
  });

  it('modified: a stored record or a stored hash changed in the database (reported once, no cascade)', async () => {
    const input = await clean();
    input.rows[2] = { ...input.rows[2], record: { ...rec(3), outcome: 'denied' } };
    expect(kinds(input)).toEqual([['modified', 3]]);
    const other = await clean();
    other.rows[6] = { ...other.rows[6], hash: 'f'.repeat(64) };
    expect(kinds(other)).toEqual([['modified', 7]]);
  });

  it('removed: a chained sequence missing from the stream', async () => {
    const input = await clean();
    input.stream.splice(5, 1); // seq 6
    expect(kinds(input)).toEqual([['removed', 6]]);
  });

  it('removed: a chained row missing from the database', async () => {
    const input = await clean();
    input.rows.splice(2, 1); // seq 3
    expect(kinds(input)).toEqual([['removed', 3]]);
    expect(verifyAuditTrail(input).problems[0].detail).toContain('audit database');
  });

  it('removed: the stream skips sequences the chain never held (deleted before chaining)', async () => {
    const stream = [1, 2, 5, 6].map((seq) => ({ seq, index: 0, record: rec(seq) }));
    const rows = chain(stream);
    expect(kinds({ stream, rows, upTo: 6, checkpoints: [], jwk: signer.jwk, keyId: signer.keyId })).toEqual([['removed', 3]]);
  });

  it('inserted: a stream record the chain never saw (after the chain head)', async () => {
    const input = await clean();
    input.stream.push({ seq: 11, index: 0, record: { ...rec(11), principal: 'forger' } });
    input.upTo = 11;
    expect(kinds(input)).toEqual([['inserted', 11]]);
  });

  it('inserted: a stream record between chained ones that the chain skipped', async () => {
    const input = await clean();
    const chainedWithout = chain(input.stream.filter((s) => s.seq !== 4));
    input.rows = chainedWithout.map((r) => ({ ...r }));
    input.checkpoints = [];
    expect(kinds(input)).toEqual([['inserted', 4]]);
  });

  it('inserted / removed: a consistent rewrite of stream and chain contradicts the signed count', async () => {
    const input = await clean();
    // The attacker rewrote both the stream and the database with one record fewer, and recomputed
    // every hash; only the signed checkpoint remembers: the stream skips seq 3 and count is 9, not 10.
    const stream = input.stream.filter((s) => s.seq !== 3);
    const out = kinds({ ...input, stream, rows: chain(stream) });
    expect(out).toEqual([['removed', 3]]);
    // With renumbered sequences there is no gap: the count and head are what is left.
    const renumbered = stream.map((s, i) => ({ seq: i + 1, index: 0, record: s.record }));
    const checkpoints = [input.checkpoints[1]]; // seq 10, count 10
    renumbered.push({ seq: 10, index: 0, record: rec(99) });
    expect(kinds({ ...input, stream: renumbered, rows: chain(renumbered), checkpoints })).toEqual([['forged-checkpoint', 10]]);
    // The stream skipped seq 4 (deleted before it was chained): the signed count at 10 is 9. A
    // rewrite that fills the gap with a forged record has no gap left, but one record too many.
    const withGap = input.stream.filter((s) => s.seq !== 4);
    const gapRows = chain(withGap);
    const signed = [await checkpointOf(gapRows, 10)];
    expect(kinds({ ...input, stream: withGap, rows: gapRows, checkpoints: signed })).toEqual([['removed', 4]]);
    const filled = [...withGap, { seq: 4, index: 0, record: rec(40) }].sort((a, b) => a.seq - b.seq);
    expect(kinds({ ...input, stream: filled, rows: chain(filled), checkpoints: signed })).toEqual([['inserted', 10]]);
  });

  it('reordered: two stored rows swapped', async () => {
    const input = await clean();
    const [a, b] = [input.rows[2], input.rows[6]];
    input.rows[2] = { ...b, seq: a.seq, position: a.position };
    input.rows[6] = { ...a, seq: b.seq, position: b.position };
    expect(kinds(input)).toEqual([['reordered', 3], ['reordered', 7]]);
    expect(verifyAuditTrail(input).problems[0].detail).toContain('sequence 7');
  });

  it('forged-checkpoint: a bad signature, another key, or a signed head that is not the chain', async () => {
    const input = await clean();
    const good = input.checkpoints[1].checkpoint!;
    input.checkpoints.push({ checkpoint: { ...good, sequence: 8, count: 8 }, source: 'forged' });
    expect(kinds(input)).toEqual([['forged-checkpoint', 8]]);
    const other = new SoftwareSigner();
    const unsigned = { ...good, sequence: 9, count: 9, head: input.rows[8].hash };
    input.checkpoints.splice(2, 1, { checkpoint: { ...unsigned, signature: (await other.sign(checkpointDigest(unsigned))).toString('base64') }, source: 'other key' });
    expect(kinds(input)).toEqual([['forged-checkpoint', 9]]);
    input.checkpoints.splice(2, 1, await checkpointOf(input.rows, 6, { head: 'a'.repeat(64) }));
    expect(kinds(input)).toEqual([['forged-checkpoint', 6]]);
    input.checkpoints.splice(2, 1, { checkpoint: undefined, source: 'checkpoint stream #3', sequence: 3 });
    expect(kinds(input)).toEqual([['forged-checkpoint', 3]]);
  });

  it('verifies from an anchor (fromSequence) without the records before it', async () => {
    const input = await clean();
    const anchor = input.rows[4];
    const out = verifyAuditTrail({ ...input, anchor: { seq: anchor.seq, position: anchor.position, hash: anchor.hash } });
    expect(out).toMatchObject({ ok: true, checkedRecords: 5, checkpoints: 1 });
  });

  it('reports several problems at once, in sequence order', async () => {
    const input = await clean();
    input.stream.splice(1, 1); // removed 2
    input.stream[6] = { seq: 8, index: 0, record: { ...rec(8), action: 'x' } }; // modified 8
    input.stream.push({ seq: 11, index: 0, record: rec(11) });
    input.upTo = 11;
    expect(kinds(input)).toEqual([['removed', 2], ['modified', 8], ['inserted', 11]]);
  });
});

/** Group commit: messages of several records, each identified by (stream sequence, index). */
describe('verifyAuditTrail over batched messages', () => {
  /** Messages at sequences 1..5 holding 1, 3, 1, 4 and 2 records; checkpoints after messages 2 and 5. */
  const SIZES = [1, 3, 1, 4, 2];
  async function batched(): Promise<VerifyAuditInput> {
    let n = 0;
    const stream = SIZES.flatMap((size, m) => Array.from({ length: size }, (_, index) => ({ seq: m + 1, index, record: rec(++n) })));
    const rows = chain(stream);
    return { stream, rows, upTo: 5, checkpoints: [await checkpointOf(rows, 2), await checkpointOf(rows, 5)], jwk: signer.jwk, keyId: signer.keyId };
  }
  const at = (input: VerifyAuditInput, seq: number, index: number) => input.stream.findIndex((s) => s.seq === seq && s.index === index);
  const details = (input: VerifyAuditInput) => verifyAuditTrail(input).problems.map((p) => p.detail);

  it('verifies a clean batched trail: every record counted, checkpoints at message ends', async () => {
    const input = await batched();
    expect(input.checkpoints[1].checkpoint).toMatchObject({ sequence: 5, count: 11 });
    expect(verifyAuditTrail(input)).toEqual({ ok: true, checkedRecords: 11, checkpoints: 2, problems: [] });
  });

  it('modified: one record inside a message, named by sequence and index', async () => {
    const input = await batched();
    const i = at(input, 4, 2);
    input.stream[i] = { ...input.stream[i], record: { ...input.stream[i].record, outcome: 'denied' } };
    expect(kinds(input)).toEqual([['modified', 4]]);
    expect(details(input)[0]).toContain('sequence 4.2');
  });

  it('reordered: two records of one message swapped in the stored chain', async () => {
    const input = await batched();
    const [a, b] = [at(input, 2, 0), at(input, 2, 2)];
    const [ra, rb] = [input.rows[a], input.rows[b]];
    input.rows[a] = { ...rb, seq: ra.seq, index: ra.index, position: ra.position };
    input.rows[b] = { ...ra, seq: rb.seq, index: rb.index, position: rb.position };
    expect(kinds(input)).toEqual([['reordered', 2], ['reordered', 2]]);
    expect(details(input)).toEqual([expect.stringContaining('sequence 2.2'), expect.stringContaining('sequence 2')]);
  });

  it('removed: a whole message deleted from the stream reports each of its chained records', async () => {
    const input = await batched();
    input.stream = input.stream.filter((s) => s.seq !== 4);
    expect(kinds(input)).toEqual([['removed', 4], ['removed', 4], ['removed', 4], ['removed', 4]]);
  });

  it('removed: one chained row of a message missing from the database', async () => {
    const input = await batched();
    input.rows.splice(at(input, 2, 1), 1);
    expect(kinds(input)).toEqual([['removed', 2]]);
    expect(details(input)[0]).toMatch(/sequence 2\.1 .*audit database/);
  });

  it('inserted: a forged message of several records after the chain head', async () => {
    const input = await batched();
    input.stream.push({ seq: 6, index: 0, record: rec(50) }, { seq: 6, index: 1, record: rec(51) });
    input.upTo = 6;
    expect(kinds(input)).toEqual([['inserted', 6], ['inserted', 6]]);
  });

  it('a consistent rewrite that drops a record of a message contradicts the signed count', async () => {
    const input = await batched();
    const stream = input.stream.filter((s) => !(s.seq === 4 && s.index === 3)); // message 4 re-written with 3 records
    expect(kinds({ ...input, stream, rows: chain(stream) })).toEqual([['removed', 5]]);
    expect(details({ ...input, stream, rows: chain(stream) })[0]).toContain('the signed checkpoint counted 11');
  });

  it('verifies from an anchor at a message end', async () => {
    const input = await batched();
    const anchor = input.rows.filter((r) => r.seq === 2).pop()!;
    expect(verifyAuditTrail({ ...input, anchor: { seq: anchor.seq, position: anchor.position, hash: anchor.hash } }))
      .toMatchObject({ ok: true, checkedRecords: 7, checkpoints: 1 });
  });
});
