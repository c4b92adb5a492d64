import { DomainEvent, EventEnvelope, EventMetadata, upcast } from '@coffer/contracts';
import { JetStreamClient, JetStreamManager, JetStreamPublishOptions, NatsConnection, NatsError } from 'nats';
import { EventLogUnavailableError, WrongExpectedSequenceError } from './event-store.errors';

/** nats.js has `jsm.direct` at run time; its typings lack it in 2.x (see DESIGN.md). */
interface DirectGet {
  getMessage(stream: string, query: { seq?: number; last_by_subj?: string }): Promise<{ seq: number; subject: string; data: Uint8Array }>;
}

const WRONG_LAST_SEQUENCE = 10071;

export interface AppendResult {
  sequence: number;
  /** True when JetStream recognised the Msg-Id: the request was applied before. */
  duplicate: boolean;
}

export interface StoredEvent {
  sequence: number;
  subject: string;
  event: DomainEvent;
}

/**
 * Appends domain events to one object's subject with optimistic concurrency
 * (Nats-Expected-Last-Subject-Sequence) and idempotency (Nats-Msg-Id from the request id).
 */
export class EventStore {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
  ) {}

  static async open(nc: NatsConnection, stream: string): Promise<EventStore> {
    return new EventStore(nc.jetstream(), await nc.jetstreamManager(), stream);
  }

  async append(
    subject: string,
    event: Omit<DomainEvent, 'metadata'>,
    opts: { expectedSequence: number; msgId: string; metadata: EventMetadata },
  ): Promise<AppendResult> {
    const envelope: EventEnvelope = { ...event, metadata: opts.metadata };
    const publishOpts: Partial<JetStreamPublishOptions> = {
      msgID: opts.msgId,
      expect: { lastSubjectSequence: opts.expectedSequence, streamName: this.stream },
    };
    try {
      const ack = await this.js.publish(subject, Buffer.from(JSON.stringify(envelope)), publishOpts);
      return { sequence: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      if ((err as NatsError).api_error?.err_code === WRONG_LAST_SEQUENCE) {
        throw new WrongExpectedSequenceError(subject, opts.expectedSequence, { cause: err });
      }
      throw new EventLogUnavailableError(`append to ${subject} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The event stored at `sequence` (direct get: no consumer, served by any replica). */
  async read(sequence: number): Promise<StoredEvent> {
    const msg = await this.direct().getMessage(this.stream, { seq: sequence });
    return { sequence: msg.seq, subject: msg.subject, event: upcast(JSON.parse(Buffer.from(msg.data).toString('utf8')) as EventEnvelope) };
  }

  /** Sequence of the last event on `subject`, 0 when there is none. */
  async lastSequence(subject: string): Promise<number> {
    try {
      return (await this.direct().getMessage(this.stream, { last_by_subj: subject })).seq;
    } catch (err) {
      if ((err as NatsError).code === '404') return 0;
      throw new EventLogUnavailableError(`reading ${subject} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Every event of one object, in order (for tests, audits and tools: not on the request path). */
  async history(subject: string): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    let next = 1;
    for (;;) {
      let msg;
      try {
        msg = await this.jsm.streams.getMessage(this.stream, { next_by_subj: subject, seq: next } as never);
      } catch (err) {
        if ((err as NatsError).code === '404') return out;
        throw err;
      }
      out.push({ sequence: msg.seq, subject: msg.subject, event: upcast(msg.json<EventEnvelope>()) });
      next = msg.seq + 1;
    }
  }

  private direct(): DirectGet {
    return (this.jsm as unknown as { direct: DirectGet }).direct;
  }
}
