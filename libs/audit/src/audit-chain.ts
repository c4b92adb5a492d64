import { createHash, createPublicKey, JsonWebKey, verify as verifySignature } from 'node:crypto';
import { AuditCheckpoint, AuditOutcome, AuditRecord } from '@coffer/contracts';
import { canonicalJson } from './canonical-json';

/** hash_0: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** Action given to a stream message whose body is not an audit record (it is chained all the same). */
export const MALFORMED_ACTION = 'Coffer/audit/malformed';

const OUTCOMES: readonly AuditOutcome[] = ['succeeded', 'failed', 'denied', 'unauthenticated'];
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The chained form of a record: only the AuditRecord fields, optional ones left out when absent.
 * Unknown members of a stored body are not part of the chain.
 */
export function normaliseRecord(r: AuditRecord): AuditRecord {
  return {
    time: r.time,
    requestId: r.requestId,
    principal: r.principal ?? null,
    action: r.action,
    objectId: r.objectId,
    ...(r.version !== undefined && r.version !== null ? { version: r.version } : {}),
    outcome: r.outcome,
    ...(r.errorCode !== undefined && r.errorCode !== null ? { errorCode: r.errorCode } : {}),
    subject: r.subject,
    // Summary records only (absent otherwise, so every record chained before them hashes as it did).
    ...(r.count !== undefined && r.count !== null ? { count: r.count } : {}),
    ...(r.lastTime !== undefined && r.lastTime !== null ? { lastTime: r.lastTime } : {}),
  };
}

function isRecord(x: unknown): x is AuditRecord {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const r = x as Record<string, unknown>;
  const str = (k: string) => typeof r[k] === 'string';
  const optStr = (k: string) => r[k] === undefined || r[k] === null || typeof r[k] === 'string';
  return str('time') && str('requestId') && (r.principal === null || str('principal')) && str('action') && str('objectId')
    && optStr('version') && OUTCOMES.includes(r.outcome as AuditOutcome) && optStr('errorCode') && str('subject')
    && (r.count === undefined || r.count === null || (Number.isSafeInteger(r.count) && (r.count as number) > 0)) && optStr('lastTime');
}

/** What a message (or one element of a batch) that is not an audit record is chained as. */
function malformedRecord(bytes: Uint8Array | string): AuditRecord {
  return {
    time: '', requestId: '', principal: null, action: MALFORMED_ACTION,
    objectId: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, outcome: 'failed', subject: '',
  };
}

/**
 * A COFFER_AUDIT message body: the vault group-commits, so a body is a JSON array of records (one
 * message per group, each record identified by (stream sequence, index in the array)).
 */
export function encodeAuditBatch(recordsAsJson: readonly string[]): string {
  return `[${recordsAsJson.join(',')}]`;
}

/**
 * A stream message body → the records that are chained, in message order. A batch (JSON array)
 * gives one record per element; a single record object (the format before group commit) is a
 * batch of one. Nothing is ever skipped: an element that is not an audit record is chained as a
 * `malformed` record naming the SHA-256 of its JSON text, and a body that is neither (not JSON, an
 * empty array, another value) as one `malformed` record naming the SHA-256 of its bytes, so
 * changing it is detectable too.
 */
export function decodeAuditMessage(body: Uint8Array): AuditRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch {
    return [malformedRecord(body)];
  }
  if (isRecord(parsed)) return [normaliseRecord(parsed)];
  if (Array.isArray(parsed) && parsed.length > 0) {
    return parsed.map((r: unknown) => (isRecord(r) ? normaliseRecord(r) : malformedRecord(JSON.stringify(r) ?? 'null')));
  }
  return [malformedRecord(body)];
}

/**
 * The position of record `index` of the message at stream sequence `seq` in the hashed text:
 * `seq` for the first record of a message (so chains written before group commit, one record per
 * message, stay valid), `seq.index` after it. Unambiguous: the canonical record that follows
 * starts with `{`.
 */
export function recordIdText(seq: number, index: number): string {
  return index === 0 ? String(seq) : `${seq}.${index}`;
}

/** hash_n = SHA-256(hash_{n-1} ‖ recordIdText(seq_n, index_n) ‖ canonical JSON of record n), hex. */
export function chainHash(previousHex: string, sequence: number, index: number, record: AuditRecord): string {
  return createHash('sha256')
    .update(Buffer.from(previousHex, 'hex'))
    .update(recordIdText(sequence, index), 'utf8')
    .update(canonicalJson(normaliseRecord(record)), 'utf8')
    .digest('hex');
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'signature'>;

/** The signed text of a checkpoint: canonical JSON of sequence, count, head, time and keyId. */
export function checkpointPayload(c: UnsignedCheckpoint): string {
  return canonicalJson({ sequence: c.sequence, count: c.count, head: c.head, time: c.time, keyId: c.keyId });
}

/** SHA-256 of checkpointPayload: what the HSM signs (CKM_ECDSA over a digest). */
export function checkpointDigest(c: UnsignedCheckpoint): Buffer {
  return createHash('sha256').update(checkpointPayload(c), 'utf8').digest();
}

/** ES256 (r‖s) signature of a checkpoint checked against the audit key's public JWK. Never throws. */
export function checkpointSignatureValid(c: AuditCheckpoint, jwk: JsonWebKey): boolean {
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const signature = Buffer.from(c.signature, 'base64');
    if (signature.length !== 64) return false;
    return verifySignature('sha256', Buffer.from(checkpointPayload(c), 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** Parses a checkpoint message; undefined when it does not have the checkpoint shape. */
export function parseCheckpoint(body: Uint8Array): AuditCheckpoint | undefined {
  try {
    const c = JSON.parse(decoder.decode(body)) as Record<string, unknown>;
    if (typeof c !== 'object' || c === null) return undefined;
    if (!Number.isSafeInteger(c.sequence) || !Number.isSafeInteger(c.count)) return undefined;
    if (typeof c.head !== 'string' || typeof c.time !== 'string' || typeof c.keyId !== 'string' || typeof c.signature !== 'string') return undefined;
    return { sequence: c.sequence as number, count: c.count as number, head: c.head, time: c.time, keyId: c.keyId, signature: c.signature };
  } catch {
    return undefined;
  }
}
