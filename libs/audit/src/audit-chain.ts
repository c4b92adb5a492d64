import { createHash } from 'node:crypto';
import { AuditCheckpoint, AuditOutcome, AuditRecord, normaliseRecord } from '@coffer/contracts';

/** The chain format itself lives in the contracts (clients verify it too). */
export {
  canonicalJson, chainHash, checkpointDigest, checkpointPayload, checkpointSignatureValid, GENESIS_HASH, normaliseRecord, recordIdText, UnsignedCheckpoint,
} from '@coffer/contracts';

/** Action given to a stream message whose body is not an audit record (it is chained all the same). */
export const MALFORMED_ACTION = 'Coffer/audit/malformed';

const OUTCOMES: readonly AuditOutcome[] = ['succeeded', 'failed', 'denied', 'unauthenticated'];
const decoder = new TextDecoder('utf-8', { fatal: false });

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
