import { AuditStreams, AuditVerifyReply } from '@coffer/contracts';
import { decodeAuditMessage, FoundCheckpoint, parseCheckpoint, verifyAuditTrail } from '@coffer/audit';
import { JetStreamManager, NatsConnection } from 'nats';
import { AuditSigner } from '../audit-signer';
import { AuditStore } from '../db/audit-store';
import { readStream } from './read-stream';

/**
 * Gathers the three sources (COFFER_AUDIT re-read from the start, or from `fromSequence`, through
 * an ordered consumer; the stored chain; the checkpoints of COFFER_AUDIT_CHECKPOINTS and of the
 * database) and runs the pure verifier. `upTo` bounds the stream records considered; by default,
 * the stream's last sequence when verification starts.
 */
export async function verifyStoredTrail(
  deps: { nc: NatsConnection; jsm: JetStreamManager; store: AuditStore; signer: AuditSigner },
  opts: { fromSequence?: number; upTo?: number } = {},
): Promise<AuditVerifyReply> {
  const { nc, jsm, store, signer } = deps;
  const js = nc.jetstream();
  const upTo = opts.upTo ?? (await jsm.streams.info(AuditStreams.records.name)).state.last_seq;
  const anchor = opts.fromSequence !== undefined && opts.fromSequence > 1 ? await store.headBefore(opts.fromSequence) : undefined;
  const from = (anchor?.seq ?? 0) + 1;
  const [jwk, messages, rows, streamCheckpoints, storedCheckpoints] = await Promise.all([
    signer.publicJwk(),
    readStream(js, jsm, AuditStreams.records.name, from, upTo),
    store.rowsAfter(from - 1),
    jsm.streams.info(AuditStreams.checkpoints.name).then((i) => readStream(js, jsm, AuditStreams.checkpoints.name, 1, i.state.last_seq)),
    store.checkpoints(),
  ]);
  const checkpoints: FoundCheckpoint[] = [
    ...streamCheckpoints.map((m) => ({ checkpoint: parseCheckpoint(m.data), source: `checkpoint stream #${m.seq}`, sequence: m.seq })),
    ...storedCheckpoints.map((c) => ({ checkpoint: c, source: 'audit database' })),
  ];
  return verifyAuditTrail({
    stream: messages.flatMap((m) => decodeAuditMessage(m.data).map((record, index) => ({ seq: m.seq, index, record }))),
    rows,
    ...(anchor ? { anchor } : {}),
    upTo,
    checkpoints,
    jwk,
    keyId: signer.keyId,
  });
}
