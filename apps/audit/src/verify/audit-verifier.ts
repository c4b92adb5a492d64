import { AUDIT_VERIFY_PAGE_DEFAULT, AuditCheckpoint, AuditStreams, AuditVerifyReply, badParameter } from '@coffer/contracts';
import { checkpointSignatureValid, decodeAuditMessage, FoundCheckpoint, parseCheckpoint, StreamRecord, verifyAuditTrail } from '@coffer/audit';
import { JsonWebKey } from 'node:crypto';
import { JetStreamManager, NatsConnection } from 'nats';
import { AuditSigner } from '../audit-signer';
import { AuditStore, ChainHead } from '../db/audit-store';
import { readStream } from './read-stream';

/** Records per verification window: each is verified synchronously, then the event loop gets a turn. */
export const VERIFY_WINDOW_RECORDS = 4_096;
/** Problems reported per page at most (a wholesale tampering would otherwise make the reply huge). */
export const MAX_PROBLEMS_PER_PAGE = 1_000;

export interface VerifyDeps {
  nc: NatsConnection;
  jsm: JetStreamManager;
  store: AuditStore;
  signer: AuditSigner;
}

export interface VerifyPageOptions {
  /** Start at this stream sequence, anchored on the stored chain before it. */
  fromSequence?: number;
  /** Start right after this signed checkpoint ('latest' or its sequence): its signature is checked, then its head trusted. */
  fromCheckpoint?: string;
  /** Last stream sequence the whole verification covers (default: the stream's last when this page starts). */
  upTo?: number;
  /** Records (stream or chain) this page verifies at most (whole messages; at least one window). */
  maxRecords?: number;
}

/**
 * One page of verification (the client drives the pages, so no request runs long): from its
 * anchor, windows of about VERIFY_WINDOW_RECORDS records, each gathered from the three sources (the
 * stream through an ordered consumer, the stored chain, the checkpoints whose sequence falls in the
 * window) and checked by the pure verifier, until `maxRecords` or `upTo`. Memory is bounded by a
 * window, and the event loop is yielded between windows. The next page is anchored on the stored
 * chain row before it, which this page has checked.
 */
export async function verifyStoredTrail(deps: VerifyDeps, opts: VerifyPageOptions = {}): Promise<AuditVerifyReply> {
  const { nc, jsm, store, signer } = deps;
  const js = nc.jetstream();
  const upTo = opts.upTo ?? (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
  const maxRecords = opts.maxRecords ?? AUDIT_VERIFY_PAGE_DEFAULT;
  const [jwk, streamCheckpoints, storedCheckpoints] = await Promise.all([
    signer.publicJwk(),
    jsm.streams.info(AuditStreams.checkpoints.name).then((i) => readStream(js, jsm, AuditStreams.checkpoints.name, 1, i.state.last_seq)),
    store.checkpoints(),
  ]);
  const checkpoints: FoundCheckpoint[] = [
    ...streamCheckpoints.map((m) => ({ checkpoint: parseCheckpoint(m.data), source: `checkpoint stream #${m.seq}`, sequence: m.seq })),
    ...storedCheckpoints.map((c) => ({ checkpoint: c, source: 'audit database' })),
  ];

  const reply: AuditVerifyReply = { ok: true, checkedRecords: 0, checkpoints: 0, problems: [], upTo };
  let anchor: ChainHead | undefined;
  if (opts.fromCheckpoint !== undefined) {
    const trusted = trustedCheckpoint(checkpoints, opts.fromCheckpoint, upTo, jwk, signer.keyId);
    anchor = { seq: trusted.sequence, position: trusted.count, hash: trusted.head };
    reply.fromCheckpoint = { sequence: trusted.sequence, count: trusted.count };
  } else if (opts.fromSequence !== undefined && opts.fromSequence > 1) {
    anchor = await store.headBefore(opts.fromSequence);
  }
  // A message that is not a checkpoint has no sequence to place it in a window: the page from the genesis reports it.
  const fromGenesis = anchor === undefined;
  let at: ChainHead = anchor ?? { seq: 0, position: 0, hash: '0'.repeat(64) };
  let records = 0;
  while (at.seq < upTo && records < maxRecords) {
    const window = Math.min(VERIFY_WINDOW_RECORDS, maxRecords - records);
    const { result, end, checked } = await verifyWindow(deps, at, upTo, window, checkpoints, jwk, fromGenesis && at.seq === 0);
    reply.checkedRecords += result.checkedRecords;
    reply.checkpoints += result.checkpoints;
    reply.problems.push(...result.problems.slice(0, MAX_PROBLEMS_PER_PAGE - reply.problems.length));
    records += Math.max(1, checked);
    reply.lastSequence = end;
    if (end >= upTo) break;
    at = await store.headBefore(end + 1);
    if (at.seq < end) at = { ...at, seq: end };
    await new Promise((r) => setImmediate(r));
  }
  reply.lastSequence ??= at.seq;
  if (reply.lastSequence < upTo) reply.nextSequence = reply.lastSequence + 1;
  reply.ok = reply.problems.length === 0;
  return reply;
}

/** One window: stream records and chain rows after `anchor`, about `maxRecords` of them, verified together. */
async function verifyWindow(
  deps: VerifyDeps, anchor: ChainHead, upTo: number, maxRecords: number, checkpoints: FoundCheckpoint[], jwk: JsonWebKey, withMalformed: boolean,
): Promise<{ result: AuditVerifyReply; end: number; checked: number }> {
  const { nc, jsm, store, signer } = deps;
  let streamRecords = 0;
  const messages = await readStream(nc.jetstream(), jsm, AuditStreams.records.name, anchor.seq + 1, upTo, (read) => {
    streamRecords += decodeAuditMessage(read[read.length - 1].data).length;
    return streamRecords >= maxRecords;
  });
  // The window ends where the stream read stopped (or upTo), or earlier where the chain has maxRecords rows.
  let end = messages.length > 0 && streamRecords >= maxRecords ? messages[messages.length - 1].seq : upTo;
  const nth = await store.nthRowAfter(anchor.seq, maxRecords);
  if (nth !== undefined && nth.seq < end) end = nth.seq;
  const rows = await store.rowsAfter(anchor.seq, end);
  const nextRow = rows.length > 0 || nth !== undefined ? (await store.nthRowAfter(end, 1)) : undefined;
  const stream: StreamRecord[] = messages
    .filter((m) => m.seq <= end)
    .flatMap((m) => decodeAuditMessage(m.data).map((record, index) => ({ seq: m.seq, index, record })));
  const result = verifyAuditTrail({
    stream,
    rows,
    anchor,
    upTo: end,
    checkpoints: checkpoints.filter((f) => (f.checkpoint ? f.checkpoint.sequence > anchor.seq && f.checkpoint.sequence <= end : withMalformed)),
    ...(nextRow ? { nextRow } : {}),
    jwk,
    keyId: signer.keyId,
  });
  return { result, end, checked: Math.max(stream.length, rows.length) };
}

/** The checkpoint a resumed verification starts from: found in the stream or the database, its HSM signature valid. */
function trustedCheckpoint(found: FoundCheckpoint[], which: string, upTo: number, jwk: JsonWebKey, keyId: string): AuditCheckpoint {
  const valid = found
    .map((f) => f.checkpoint)
    .filter((c): c is AuditCheckpoint => c !== undefined && c.sequence <= upTo && c.keyId === keyId && checkpointSignatureValid(c, jwk))
    .sort((a, b) => b.sequence - a.sequence);
  const c = which === 'latest' ? valid[0] : valid.find((v) => v.sequence === Number(which));
  if (!c) {
    throw badParameter(which === 'latest' ? 'There is no signed checkpoint to resume from.' : `There is no validly signed checkpoint at sequence ${which}.`);
  }
  return c;
}
