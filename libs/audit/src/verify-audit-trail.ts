import { JsonWebKey } from 'node:crypto';
import { AuditCheckpoint, AuditRecord, AuditVerifyReply } from '@coffer/contracts';
import { canonicalJson } from '@coffer/contracts';
import { chainHash, checkpointSignatureValid, GENESIS_HASH, recordIdText } from './audit-chain';

export type AuditProblem = AuditVerifyReply['problems'][number];
export type AuditProblemKind = AuditProblem['kind'];

/** One record of a COFFER_AUDIT message (decodeAuditMessage): stream sequence, index in the message. */
export interface StreamRecord {
  seq: number;
  index: number;
  record: AuditRecord;
}

/** A row of the stored chain: the record as chained, its position n (1-based) and hash_n. */
export interface ChainRow {
  seq: number;
  index: number;
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
  /** Records of the COFFER_AUDIT messages with seq > anchor.seq (and <= upTo), in stream and message order. */
  stream: StreamRecord[];
  /** Stored chain rows with seq > anchor.seq, in (sequence, index) order. */
  rows: ChainRow[];
  /**
   * The chain position verification starts after: the last record of the message at `seq`
   * (whole messages are chained at once); defaults to the genesis (seq 0, position 0).
   */
  anchor?: { seq: number; position: number; hash: string };
  /**
   * Last stream sequence this verification covers. A stream record up to it that the chain does
   * not hold is reported as inserted; the caller chooses it so that records still in flight to the
   * audit app are not counted (the online verifier first waits until the chain caught up with it).
   */
  upTo: number;
  checkpoints: FoundCheckpoint[];
  /**
   * Windowed verification: the first stored row after this window (outside it), so a record at the
   * window's end is told apart as removed (chained before that row) or inserted (never chained).
   */
  nextRow?: ChainRow;
  /** The audit key's public JWK and id. */
  jwk: JsonWebKey;
  keyId: string;
}

interface RecordId {
  seq: number;
  index: number;
}

const contentOf = (r: AuditRecord) => canonicalJson(r);
const keyOf = (id: RecordId) => recordIdText(id.seq, id.index);
const compareIds = (a: RecordId, b: RecordId) => a.seq - b.seq || a.index - b.index;
const MAX_CANDIDATES = 4;

/**
 * Verifies the audit trail from three independent sources: the stream (what the vault wrote),
 * the stored chain (what the audit app saw and hashed) and the signed checkpoints (the chain
 * heads the HSM key vouched for). Pure: no I/O. Each problem names its kind and stream sequence;
 * a record after the first of its message is named `sequence <seq>.<index>` in the detail.
 *
 *  - modified: a record's content no longer matches its chained hash (in the stream or the
 *    database), or a stored hash was changed;
 *  - removed: a record the chain has is missing from the stream, a chained row is missing from
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
  const at = (id: RecordId) => `sequence ${keyOf(id)}`;

  const stream = input.stream.filter((s) => s.seq > anchor.seq && s.seq <= input.upTo);
  const rows = input.rows.filter((r) => r.seq > anchor.seq);
  const streamById = new Map(stream.map((s) => [keyOf(s), s]));
  const rowById = new Map(rows.map((r) => [keyOf(r), r]));
  // A checkpoint names the last record of a message: the hash and count after it, per sequence.
  const rowAtSeqEnd = new Map(rows.map((r) => [r.seq, r]));

  // The stream's own chain, as it stands now (includes whatever was inserted, lacks what was removed).
  const streamHashAtSeqEnd = new Map<number, string>();
  const streamCountAtSeqEnd = new Map<number, number>();
  const streamIdByHash = new Map<string, RecordId>();
  const streamIdsByContent = new Map<string, RecordId[]>();
  {
    let prev = anchor.hash;
    let n = anchor.position;
    for (const s of stream) {
      prev = chainHash(prev, s.seq, s.index, s.record);
      streamHashAtSeqEnd.set(s.seq, prev);
      streamCountAtSeqEnd.set(s.seq, ++n);
      streamIdByHash.set(prev, s);
      const key = contentOf(s.record);
      streamIdsByContent.set(key, [...(streamIdsByContent.get(key) ?? []), s]);
    }
  }

  // Walk every record either source has, in order, keeping the hashes the next row may chain
  // from (its stored predecessor and the recomputed one), so one tampered row is reported once.
  const head: RecordId = input.nextRow ?? (rows.length > 0 ? rows[rows.length - 1] : { seq: anchor.seq, index: Number.POSITIVE_INFINITY });
  const ids = [...new Map([...stream, ...rows].map((x) => [keyOf(x), { seq: x.seq, index: x.index }])).values()].sort(compareIds);
  let candidates = [anchor.hash];
  // Rows are in order: the next one after the current id is found by advancing a cursor.
  let cursor = 0;
  const nextRowAfter = (id: RecordId) => {
    while (cursor < rows.length && compareIds(rows[cursor], id) <= 0) cursor++;
    return rows[cursor] ?? input.nextRow;
  };
  const remember = (...hashes: string[]) => {
    candidates = [...new Set(hashes)].slice(0, MAX_CANDIDATES);
  };
  let lastSeen = anchor.seq;
  for (const id of ids) {
    const { seq, index } = id;
    if (seq > lastSeen + 1) reportGap(lastSeen + 1, seq - 1);
    lastSeen = Math.max(lastSeen, seq);
    const row = rowById.get(keyOf(id));
    const entry = streamById.get(keyOf(id));
    if (row && entry) {
      const prev = candidates.find((p) => chainHash(p, seq, index, row.record) === row.hash);
      const sameContent = contentOf(row.record) === contentOf(entry.record);
      if (!sameContent || prev === undefined) {
        const byHash = streamIdByHash.get(row.hash);
        const elsewhere = (streamIdsByContent.get(contentOf(row.record)) ?? []).find((s) => compareIds(s, id) !== 0)
          ?? (byHash !== undefined && compareIds(byHash, id) !== 0 ? byHash : undefined);
        if (elsewhere !== undefined) {
          report('reordered', seq, `the chain holds at ${at(id)} the record (or hash) of ${at(elsewhere)}`);
        } else if (!sameContent && prev !== undefined) {
          report('modified', seq, `the stream record at ${at(id)} no longer matches its chained hash`);
        } else if (!sameContent) {
          report('modified', seq, `the stored record at ${at(id)} differs from the stream and from its chained hash`);
        } else {
          report('modified', seq, `the stored hash at ${at(id)} does not match the chain`);
        }
      }
      remember(row.hash, ...candidates.map((p) => chainHash(p, seq, index, entry.record)));
    } else if (row) {
      report('removed', seq, `${at(id)} is chained (position ${row.position}) but missing from the stream`);
      remember(row.hash, ...candidates.map((p) => chainHash(p, seq, index, row.record)));
    } else if (entry) {
      if (compareIds(id, head) > 0) {
        report('inserted', seq, `stream record at ${at(id)} was never chained (the chain ends at sequence ${head.seq})`);
        remember(...candidates);
        continue;
      }
      const included = candidates.map((p) => chainHash(p, seq, index, entry.record));
      const next = nextRowAfter(id);
      const wasChained = next !== undefined && included.some((h) => chainHash(h, next.seq, next.index, next.record) === next.hash);
      if (wasChained) report('removed', seq, `${at(id)} was chained but its row is missing from the audit database`);
      else report('inserted', seq, `stream record at ${at(id)} was never seen by the chain`);
      remember(...included, ...candidates);
    }
  }
  if (input.upTo > lastSeen && input.upTo <= head.seq) reportGap(lastSeen + 1, input.upTo);

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
    return last ? streamCountAtSeqEnd.get(last.seq)! : anchor.position;
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
    const row = rowAtSeqEnd.get(c.sequence);
    const matchesRows = row !== undefined && row.hash === c.head && rowCountUpTo(c.sequence) === c.count;
    const matchesStream = streamHashAtSeqEnd.get(c.sequence) === c.head && streamCountUpTo(c.sequence) === c.count;
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
