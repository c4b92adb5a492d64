import { createHash, createPublicKey, JsonWebKey, verify as verifySignature } from 'node:crypto';
import { AuditCheckpoint, AuditRecord } from '../auth/audit-record';
import { canonicalJson } from './canonical-json';

/**
 * The audit chain's format, shared by the audit app that writes it and every party that verifies
 * it (the audit app itself, the SDK's audit feed verifier, exporters): pure, no I/O.
 */

/** hash_0: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

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
  return es256SignatureValid(checkpointPayload(c), c.signature, jwk);
}

/** An ES256 (r‖s, base64) signature by the audit key over `text` (its SHA-256 is what the HSM signed). Never throws. */
export function es256SignatureValid(text: string, signatureBase64: string, jwk: JsonWebKey): boolean {
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const signature = Buffer.from(signatureBase64, 'base64');
    if (signature.length !== 64) return false;
    return verifySignature('sha256', Buffer.from(text, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
