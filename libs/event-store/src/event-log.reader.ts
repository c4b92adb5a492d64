import { AckPolicy, DeliverPolicy, JetStreamClient, JetStreamManager, nanos, NatsConnection } from 'nats';

export interface LogMessage {
  subject: string;
  seq: number;
  data: Uint8Array;
}

export interface LogPageRequest {
  /** Subject filter, e.g. `coffer.events.demo.>`. */
  filterSubject: string;
  /** Start here (inclusive); or at the first message at or after `fromTime`; or at the beginning. */
  fromSequence?: number;
  fromTime?: string;
  max: number;
  /** When nothing is pending, wait this long for the next message (0: answer at once). */
  waitMs: number;
}

export interface LogPage {
  messages: LogMessage[];
  /** The sequence to continue from: after the last message returned, or where this page started. */
  next: number;
}

/** An unused ephemeral consumer goes away by itself after this, even if the delete below never arrives. */
const INACTIVE_THRESHOLD_MS = 30_000;
/** Pending messages are already stored: fetching them should never take long. */
const PENDING_FETCH_MS = 5_000;

/**
 * Pages of a stream for readers that keep their own cursor (the public change feed). Each page is
 * an ephemeral, unacknowledged, memory-backed consumer that lives for one fetch: the server does
 * the subject filtering and time lookup, and nothing is left behind when a reader goes away.
 */
export class EventLogReader {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
  ) {}

  static async open(nc: NatsConnection, stream: string): Promise<EventLogReader> {
    return new EventLogReader(nc.jetstream(), await nc.jetstreamManager(), stream);
  }

  async page(req: LogPageRequest): Promise<LogPage> {
    const start =
      req.fromSequence !== undefined ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: req.fromSequence }
      : req.fromTime !== undefined ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(req.fromTime).toISOString() }
      : { deliver_policy: DeliverPolicy.All };
    const info = await this.jsm.consumers.add(this.stream, {
      ...start,
      ack_policy: AckPolicy.None,
      filter_subject: req.filterSubject,
      inactive_threshold: nanos(INACTIVE_THRESHOLD_MS),
      mem_storage: true,
      num_replicas: 1,
    });
    // The server resolved the start (sequence, time or the beginning) to a stream sequence: delivered + 1.
    const startSeq = info.delivered.stream_seq + 1;
    try {
      const pending = info.num_pending;
      if (pending === 0 && req.waitMs === 0) return { messages: [], next: startSeq };
      const consumer = await this.js.consumers.get(this.stream, info.name);
      const batch = await consumer.fetch({
        max_messages: pending > 0 ? Math.min(req.max, pending) : 1,
        expires: pending > 0 ? PENDING_FETCH_MS : Math.max(req.waitMs, 1000),
      });
      const messages: LogMessage[] = [];
      for await (const m of batch) messages.push({ subject: m.subject, seq: m.seq, data: m.data });
      return { messages, next: messages.length > 0 ? messages[messages.length - 1].seq + 1 : startSeq };
    } finally {
      await this.jsm.consumers.delete(this.stream, info.name).catch(() => undefined);
    }
  }
}
