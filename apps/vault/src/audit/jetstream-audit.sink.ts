import { AuditRecord, AuditStreams, CofferError, ErrorCodes, InnerErrorCodes, SYSTEM_SCOPE, VAULT_NAME } from '@coffer/contracts';
import { encodeAuditBatch } from '@coffer/audit';
import { JetStreamClient, NatsConnection, NatsError } from 'nats';
import { AuditSink } from './audit-sink';

/** How long one audit publish may wait for the stream's acknowledgement. */
export const AUDIT_PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Group commit: messages in flight per scope subject, and the bounds of one message (well under
 * NATS's 1 MiB max_payload).
 */
export interface AuditBatching {
  maxInFlight: number;
  maxRecords: number;
  maxBytes: number;
}
export const AUDIT_BATCHING: AuditBatching = { maxInFlight: 1, maxRecords: 512, maxBytes: 256 * 1024 };

/** The audit subject scope of a record: its vault (from the object id), else `_system`. */
export function auditScopeOf(record: AuditRecord): string {
  const vault = /^\/vaults\/([^/]+)/.exec(record.objectId)?.[1];
  return vault !== undefined && VAULT_NAME.test(vault) ? vault : SYSTEM_SCOPE;
}

/** The request fails with this when its audit record cannot be persisted (no unaudited access). */
export function auditUnavailable(cause: unknown): CofferError {
  return new CofferError(
    ErrorCodes.ServiceUnavailable,
    'The audit trail is unavailable: the request was refused because it could not be audited.',
    InnerErrorCodes.AuditUnavailable,
    { cause },
  );
}

interface Waiting {
  json: string;
  resolve: () => void;
  reject: (err: CofferError) => void;
}

/** One scope subject's queue: records waiting for the next message, and how many messages are in flight. */
interface SubjectQueue {
  waiting: Waiting[];
  inFlight: number;
}

/**
 * Persists audit records to COFFER_AUDIT with group commit. Per scope subject, at most
 * `maxInFlight` messages are in flight; records that arrive meanwhile wait and go together in the
 * next message (a JSON array, at most `maxRecords` / `maxBytes`). Every record of a message resolves when that message's ack
 * arrives and rejects if it fails, so `record` still resolves only once its record is durably in
 * the stream. Alone, a record is published at once (no timer, no added latency); under load the
 * per-message costs (vault, nats-server, audit app) are shared by the whole group.
 *
 * The ack must come from COFFER_AUDIT; a missing stream (no responders), a timeout or a closed
 * connection rejects with ServiceUnavailable / AuditUnavailable. The acknowledging stream is
 * checked from the ack rather than with an `expect` header, which cost a quarter of the throughput.
 */
export class JetStreamAuditSink implements AuditSink {
  private readonly js: JetStreamClient;
  private readonly queues = new Map<string, SubjectQueue>();

  constructor(
    nc: NatsConnection,
    private readonly timeoutMs = AUDIT_PUBLISH_TIMEOUT_MS,
    private readonly batching: AuditBatching = AUDIT_BATCHING,
  ) {
    this.js = nc.jetstream({ timeout: timeoutMs });
  }

  record(record: AuditRecord): Promise<void> {
    const subject = AuditStreams.records.subject(auditScopeOf(record));
    let queue = this.queues.get(subject);
    if (!queue) this.queues.set(subject, (queue = { waiting: [], inFlight: 0 }));
    const json = JSON.stringify(record);
    const done = new Promise<void>((resolve, reject) => queue.waiting.push({ json, resolve, reject }));
    if (queue.inFlight < this.batching.maxInFlight) void this.publishNext(subject, queue);
    return done;
  }

  /** Publishes the waiting records as one message, settles them with its outcome, then the next group. */
  private async publishNext(subject: string, queue: SubjectQueue): Promise<void> {
    queue.inFlight++;
    while (queue.waiting.length > 0) {
      const group = this.takeGroup(queue.waiting);
      try {
        const ack = await this.js.publish(subject, encodeAuditBatch(group.map((w) => w.json)), { timeout: this.timeoutMs });
        if (ack.stream !== AuditStreams.records.name) throw new Error(`acknowledged by stream ${ack.stream}`);
        for (const w of group) w.resolve();
      } catch (err) {
        const failure = auditUnavailable(err instanceof NatsError ? new Error(`audit publish failed: ${err.code}`) : err);
        for (const w of group) w.reject(failure);
      }
    }
    queue.inFlight--;
  }

  /** Removes and returns the oldest waiting records that fit in one message (always at least one). */
  private takeGroup(waiting: Waiting[]): Waiting[] {
    let count = 0;
    let bytes = 2;
    while (count < waiting.length && count < this.batching.maxRecords) {
      const size = Buffer.byteLength(waiting[count].json) + 1;
      if (count > 0 && bytes + size > this.batching.maxBytes) break;
      bytes += size;
      count++;
    }
    return waiting.splice(0, count);
  }
}
