import { AuditAggregationSettings } from '@coffer/config';
import { AuditRecord, auditRecordVault, AuditStreams, CofferError, ErrorCodes, InnerErrorCodes, SYSTEM_SCOPE } from '@coffer/contracts';
import { encodeAuditBatch } from '@coffer/audit';
import { JetStreamClient, NatsConnection, NatsError } from 'nats';
import { AuditNoiseAggregator } from './audit-noise-aggregator';
import { AuditSink } from './audit-sink';
import { auditGroupRecords, auditPublishFailures, auditPublishSeconds } from './audit-sink-metrics';

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
  return auditRecordVault(record) ?? SYSTEM_SCOPE;
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

/** The request fails with this when an audit store is at its configured limit (fail closed). */
export function auditStoreFull(cause?: unknown): CofferError {
  return new CofferError(
    ErrorCodes.ServiceUnavailable,
    'The audit trail is full: the request was refused because it could not be audited. An operator must raise the audit limits.',
    InnerErrorCodes.AuditStoreFull,
    { cause },
  );
}

/**
 * A publish refused because the stream is at max_bytes / max_msgs with discard 'new' (or the
 * server is out of JetStream storage): nats-server answers 10077 "maximum … exceeded" or 10023.
 */
export function isStoreFullError(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number; description?: string } } | undefined)?.api_error;
  const text = `${api?.description ?? ''} ${(err as Error | undefined)?.message ?? ''}`;
  return api?.err_code === 10023 || /maximum (messages|bytes|messages per subject) exceeded|insufficient resources/i.test(text);
}

/** Whether the audit app reported its chain database full (polled by AuditCapacityMonitor). */
export interface AuditCapacity {
  full(): boolean;
}

/** Where records go: COFFER_AUDIT, or a scratch stream of the same kind (the audited-echo benchmark ceiling). */
export interface AuditTarget {
  name: string;
  subject(scope: string): string;
}

export interface AuditSinkOptions {
  /** The stream whose ack counts (default COFFER_AUDIT) and its subject per scope. */
  target?: AuditTarget;
  /** Anonymous noise aggregation; without it every record is written individually. */
  aggregation?: AuditAggregationSettings;
  capacity?: AuditCapacity;
  now?: () => number;
  /** Told when summary records cannot be written (they are retried on the next interval). */
  onSummaryFailure?: (err: CofferError, records: number) => void;
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
 * The ack must come from COFFER_AUDIT (or options.target); a missing stream (no responders), a timeout or a closed
 * connection rejects with ServiceUnavailable / AuditUnavailable. The acknowledging stream is
 * checked from the ack rather than with an `expect` header, which cost a quarter of the throughput.
 */
export class JetStreamAuditSink implements AuditSink {
  private readonly js: JetStreamClient;
  private readonly queues = new Map<string, SubjectQueue>();
  private readonly aggregator?: AuditNoiseAggregator;
  private readonly now: () => number;
  private readonly target: AuditTarget;
  private flushTimer?: NodeJS.Timeout;
  /** Summaries whose publish failed: written again with the next interval's. */
  private unsent: AuditRecord[] = [];

  constructor(
    nc: NatsConnection,
    private readonly timeoutMs = AUDIT_PUBLISH_TIMEOUT_MS,
    private readonly batching: AuditBatching = AUDIT_BATCHING,
    private readonly options: AuditSinkOptions = {},
  ) {
    this.js = nc.jetstream({ timeout: timeoutMs });
    this.now = options.now ?? Date.now;
    this.target = options.target ?? AuditStreams.records;
    if (options.aggregation) {
      this.aggregator = new AuditNoiseAggregator(options.aggregation);
      this.flushTimer = setInterval(() => void this.flushSummaries(), Math.max(50, Math.floor(options.aggregation.intervalMs / 4)));
      this.flushTimer.unref();
    }
  }

  /**
   * Resolves once the record is in the stream. A foldable record (anonymous noise, see
   * isFoldable) past its interval's individual quota resolves at once: it is counted into a
   * summary record written at the end of the interval. With an audit store full, every record is
   * refused (AuditStoreFull), folded or not.
   */
  record(record: AuditRecord): Promise<void> {
    if (this.options.capacity?.full()) return Promise.reject(auditStoreFull());
    const scope = auditScopeOf(record);
    if (this.aggregator?.admit(record, scope, this.now()) === 'folded') return Promise.resolve();
    return this.enqueue(record, scope);
  }

  /** Ends the aggregation interval when due (or `force`), writing its summary records. */
  async flushSummaries(force = false): Promise<void> {
    const agg = this.aggregator;
    if (!agg || (!force && !agg.due(this.now()) && this.unsent.length === 0)) return;
    const summaries = [...this.unsent, ...(force || agg.due(this.now()) ? agg.drain() : [])];
    this.unsent = [];
    const results = await Promise.allSettled(summaries.map((r) => this.enqueue(r, auditScopeOf(r))));
    const failed = summaries.filter((_, i) => results[i].status === 'rejected');
    if (failed.length === 0) return;
    this.unsent.push(...failed);
    const reason = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    this.options.onSummaryFailure?.(reason.reason as CofferError, failed.length);
  }

  /** Shutdown: stops the interval timer and writes what is folded. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushSummaries(true);
  }

  private enqueue(record: AuditRecord, scope: string): Promise<void> {
    const subject = this.target.subject(scope);
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
      auditGroupRecords.observe(group.length);
      const startedAt = performance.now();
      try {
        const ack = await this.js.publish(subject, encodeAuditBatch(group.map((w) => w.json)), { timeout: this.timeoutMs });
        if (ack.stream !== this.target.name) throw new Error(`acknowledged by stream ${ack.stream}`);
        auditPublishSeconds.observe((performance.now() - startedAt) / 1000);
        for (const w of group) w.resolve();
      } catch (err) {
        const cause = err instanceof NatsError ? new Error(`audit publish failed: ${err.code}`) : err;
        const full = isStoreFullError(err);
        auditPublishFailures.labels(full ? 'full' : 'unavailable').inc(group.length);
        const failure = full ? auditStoreFull(cause) : auditUnavailable(cause);
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
