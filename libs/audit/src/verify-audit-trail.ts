import { JsonWebKey } from 'node:crypto';
import { AuditCheckpoint, AuditRecord, AuditVerifyReply } from '@coffer/contracts';
import { canonicalJson } from './canonical-json';
import { chainHash, checkpointSignatureValid, GENESIS_HASH } from './audit-chain';

export type AuditProblem = AuditVerifyReply['problems'][number];
export type AuditProblemKind = AuditProblem['kind'];

/** A message of COFFER_AUDIT, decoded (decodeAuditBody). */
export interface StreamRecord {
  seq: number;
  record: AuditRecord;
}

/** A row of the stored chain: the record as chained, its position n (1-based) and hash_n. */
export interface ChainRow {
  seq: number;
  position: number;
  record: AuditRecord;
  hash: string;
}

/** A checkpoint as found (stream or database); `checkpoint` undefined when the message is malformed. */
export interface FoundCheckpoint {
  checkpoint: AuditCheckpoint | undefined;
  /** Where it was found, for the report (e.g. "checkpoint stream #4"). */
  source: string;
  /** For a malformed message: the sequence to report it at. */
  sequence?: number;
}

export interface VerifyAuditInput {
  /** COFFER_AUDIT messages in stream order with seq > anchor.seq (and <= upTo). */
  stream: StreamRecord[];
  /** Stored chain rows with seq > anchor.seq, in sequence order. */
  rows: ChainRow[];
  /** The chain position verification starts after: defaults to the genesis (seq 0, position 0). */
  anchor?: { seq: number; position: number; hash: string };
  /**
   * Last stream sequence this verification covers. A stream record up to it that the chain does
   * not hold is reported as inserted; the caller chooses it so that records still in flight to the
   * audit app are not counted (the online verifier first waits until the chain caught up with it).
   */
  upTo: number;
  checkpoints: FoundCheckpoint[];
  /** The audit key's public JWK and id. */
  jwk: JsonWebKey;
  keyId: string;
}

const contentOf = (r: AuditRecord) => canonicalJson(r);
const MAX_CANDIDATES = 4;

/**
 * Verifies the audit trail from three independent sources: the stream (what the vault wrote),
 * the stored chain (what the audit app saw and hashed) and the signed checkpoints (the chain
 * heads the HSM key vouched for). Pure: no I/O. Each problem names its kind and stream sequence.
 *
 *  - modified: a record's content no longer matches its chained hash (in the stream or the
 *    database), or a stored hash was changed;
 *  - removed: a sequence the chain has is missing from the stream, a chained row is missing from
 *    the database, or the stream skips sequences;
 *  - inserted: a stream record the chain never saw, or more records up to a checkpoint than it counted;
 *  - reordered: a stored position holds a record (or hash) that belongs to another position;
 *  - forged-checkpoint: a checkpoint whose signature does not verify with the audit key, or whose
 *    head does not match the chain.
 */
export function verifyAuditTrail(input: VerifyAuditInput): AuditVerifyReply {
  const anchor = input.anchor ?? { seq: 0, position: 0, hash: GENESIS_HASH };
  const problems: AuditProblem[] = [];
  const report = (kind: AuditProblemKind, sequence: number, detail: string) => problems.push({ kind, sequence, detail });

  const stream = input.stream.filter((s) => s.seq > anchor.seq && s.seq <= input.upTo);
  const rows = input.rows.filter((r) => r.seq > anchor.seq);
  const streamBySeq = new Map(stream.map((s) => [s.seq, s]));
  const rowBySeq = new Map(rows.map((r) => [r.seq, r]));

  // The stream's own chain, as it stands now (includes whatever was inserted, lacks what was removed).
  const streamHash = new Map<number, string>();
  const streamCount = new Map<number, number>();
  const streamSeqByHash = new Map<string, number>();
  const streamSeqByContent = new Map<string, number[]>();
  {
    let prev = anchor.hash;
    let n = anchor.position;
    for (const s of stream) {
      prev = chainHash(prev, s.seq, s.record);
      streamHash.set(s.seq, prev);
      streamCount.set(s.seq, ++n);
      streamSeqByHash.set(prev, s.seq);
      const key = contentOf(s.record);
      streamSeqByContent.set(key, [...(streamSeqByContent.get(key) ?? []), s.seq]);
    }
  }

  // Walk every sequence either source has, in order, keeping the hashes the next row may chain
  // from (its stored predecessor and the recomputed one), so one tampered row is reported once.
  const head = rows.length > 0 ? rows[rows.length - 1].seq : anchor.seq;
  const seqs = [...new Set([...streamBySeq.keys(), ...rowBySeq.keys()])].sort((a, b) => a - b);
  let candidates = [anchor.hash];
  const nextRowAfter = (seq: number) => rows.find((r) => r.seq > seq);
  const remember = (...hashes: string[]) => {
    candidates = [...new Set(hashes)].slice(0, MAX_CANDIDATES);
  };
  let lastSeen = anchor.seq;
  for (const seq of seqs) {
    if (seq > lastSeen + 1) reportGap(lastSeen + 1, seq - 1);
    lastSeen = seq;
    const row = rowBySeq.get(seq);
    const entry = streamBySeq.get(seq);
    if (row && entry) {
      const prev = candidates.find((p) => chainHash(p, seq, row.record) === row.hash);
      const sameContent = contentOf(row.record) === contentOf(entry.record);
      if (!sameContent || prev === undefined) {
        const elsewhere = (streamSeqByContent.get(contentOf(row.record)) ?? []).find((s) => s !== seq)
          ?? (streamSeqByHash.get(row.hash) !== seq ? streamSeqByHash.get(row.hash) : undefined);
        if (elsewhere !== undefined) {
          report('reordered', seq, `the chain holds at sequence ${seq} the record (or hash) of sequence ${elsewhere}`);
        } else if (!sameContent && prev !== undefined) {
          report('modified', seq, `the stream record at sequence ${seq} no longer matches its chained hash`);
        } else if (!sameContent) {
          report('modified', seq, `the stored record at sequence ${seq} differs from the stream and from its chained hash`);
        } else {
          report('modified', seq, `the stored hash at sequence ${seq} does not match the chain`);
        }
      }
      remember(row.hash, ...candidates.map((p) => chainHash(p, seq, entry.record)));
    } else if (row) {
      report('removed', seq, `sequence ${seq} is chained (position ${row.position}) but missing from the stream`);
      remember(row.hash, ...candidates.map((p) => chainHash(p, seq, row.record)));
    } else if (entry) {
      if (seq > head) {
        report('inserted', seq, `stream record at sequence ${seq} was never chained (the chain ends at sequence ${head})`);
        remember(...candidates);
        continue;
      }
      const included = candidates.map((p) => chainHash(p, seq, entry.record));
      const next = nextRowAfter(seq);
      const wasChained = next !== undefined && included.some((h) => chainHash(h, next.seq, next.record) === next.hash);
      if (wasChained) report('removed', seq, `sequence ${seq} was chained but its row is missing from the audit database`);
      else report('inserted', seq, `stream record at sequence ${seq} was never seen by the chain`);
      remember(...included, ...candidates);
    }
  }
  if (input.upTo > lastSeen && input.upTo <= head) reportGap(lastSeen + 1, input.upTo);

  function reportGap(from: number, to: number) {
    report('removed', from, from === to ? `the stream skips sequence ${from}` : `the stream skips sequences ${from}-${to}`);
  }

  // Checkpoints: each signature, then its head and count against the chain.
  const seen = new Set<string>();
  let checked = 0;
  const rowCountUpTo = (seq: number) => {
    const last = [...rows].reverse().find((r) => r.seq <= seq);
    return last ? last.position : anchor.position;
  };
  const streamCountUpTo = (seq: number) => {
    const last = [...stream].reverse().find((s) => s.seq <= seq);
    return last ? streamCount.get(last.seq)! : anchor.position;
  };
  for (const found of input.checkpoints) {
    const c = found.checkpoint;
    if (!c) {
      checked++;
      report('forged-checkpoint', found.sequence ?? 0, `${found.source} is not a checkpoint`);
      continue;
    }
    const key = canonicalJson(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (c.sequence <= anchor.seq) continue;
    checked++;
    if (c.keyId !== input.keyId || !checkpointSignatureValid(c, input.jwk)) {
      report('forged-checkpoint', c.sequence, `checkpoint at sequence ${c.sequence} (${found.source}): the signature does not verify with audit key '${input.keyId}'`);
      continue;
    }
    const row = rowBySeq.get(c.sequence);
    const matchesRows = row !== undefined && row.hash === c.head && rowCountUpTo(c.sequence) === c.count;
    const matchesStream = streamHash.get(c.sequence) === c.head && streamCountUpTo(c.sequence) === c.count;
    if (matchesRows || matchesStream) continue;
    if (problems.some((p) => p.kind !== 'forged-checkpoint' && p.sequence <= c.sequence)) continue; // already explained
    const count = streamCountUpTo(c.sequence);
    if (count > c.count) report('inserted', c.sequence, `the stream holds ${count} records up to sequence ${c.sequence}; the signed checkpoint counted ${c.count}`);
    else if (count < c.count) report('removed', c.sequence, `the stream holds ${count} records up to sequence ${c.sequence}; the signed checkpoint counted ${c.count}`);
    else report('forged-checkpoint', c.sequence, `checkpoint at sequence ${c.sequence} (${found.source}): its head does not match the recomputed chain`);
  }

  problems.sort((a, b) => a.sequence - b.sequence || a.kind.localeCompare(b.kind));
  return { ok: problems.length === 0, checkedRecords: stream.length, checkpoints: checked, problems };
}
