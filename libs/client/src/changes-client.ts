import { ChangeEvent, ChangeSubjects, FetchChangesReply } from '@coffer/contracts/protocol';
import { CallOptions, Requester } from './request';
import { callOptionsOf } from './list-options';

/** Where a subscription starts: a sequence (a saved cursor), a time, the beginning of the log, or now. */
export type ChangeCursor = { sequence: number } | { time: Date | string } | 'beginning' | 'now';

export interface FetchChangesOptions extends CallOptions {
  /** Only this vault's changes (needs the Events Reader role at the vault; without it, at the root). */
  vault?: string;
  /** CloudEvent types, with or without the `Coffer.KeyVault.` prefix. */
  types?: string[];
  from?: ChangeCursor;
  maxEvents?: number;
  /** Long poll: an empty page waits this long for the next change. */
  waitMs?: number;
}

export type SubscribeOptions = Omit<FetchChangesOptions, 'requestId'>;

/** One change as a subscription hands it out; `ack()` moves the subscription's cursor past it. */
export interface ReceivedChange {
  event: ChangeEvent;
  ack(): void;
}

const DEFAULT_WAIT_MS = 10_000;

/** The change feed: `coffer.v1.changes.fetch`, as pages or as a subscription. */
export class ChangesClient {
  constructor(private readonly requester: Requester) {}

  fetch(options: FetchChangesOptions = {}): Promise<FetchChangesReply> {
    const from = options.from ?? 'beginning';
    const body = {
      vault: options.vault,
      types: options.types,
      fromSequence: typeof from === 'object' && 'sequence' in from ? from.sequence : undefined,
      fromTime: from === 'now' ? new Date().toISOString() : typeof from === 'object' && 'time' in from ? new Date(from.time).toISOString() : undefined,
      maxEvents: options.maxEvents,
      waitMs: options.waitMs,
    };
    // A long poll must not time out before the server answers.
    const timeoutMs = options.waitMs ? Math.max(options.timeoutMs ?? 0, options.waitMs + 10_000) : options.timeoutMs;
    return this.requester.request(ChangeSubjects.fetch, body, { ...callOptionsOf(options), timeoutMs });
  }

  /**
   * Every change from `from` on, as it happens (long polling). Delivery is at least once: save
   * `subscription.cursor` after acknowledging and pass it back as `from: {sequence}` to resume.
   */
  subscribe(options: SubscribeOptions = {}): ChangeSubscription {
    return new ChangeSubscription(this, options);
  }
}

export class ChangeSubscription implements AsyncIterable<ReceivedChange> {
  /** The sequence to resume from: after the last acknowledged change (undefined until one is). */
  cursor: number | undefined;
  private stopped = false;

  constructor(
    private readonly changes: ChangesClient,
    private readonly options: SubscribeOptions,
  ) {
    const from = options.from;
    if (typeof from === 'object' && 'sequence' in from) this.cursor = from.sequence;
  }

  /** Ends the iteration after the current page (or long poll). */
  stop(): void {
    this.stopped = true;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ReceivedChange> {
    let from: ChangeCursor = this.options.from ?? 'beginning';
    let unacked = 0;
    while (!this.stopped) {
      const page = await this.changes.fetch({ ...this.options, from, waitMs: this.options.waitMs ?? DEFAULT_WAIT_MS });
      for (let i = 0; i < page.events.length && !this.stopped; i++) {
        const event = page.events[i];
        // Several changes can come from one log event: the cursor passes it only with the last of them.
        const resume = i + 1 < page.events.length ? (page.events[i + 1].cofferseq === event.cofferseq ? event.cofferseq : event.cofferseq + 1) : page.next;
        unacked++;
        let acked = false;
        yield {
          event,
          ack: () => {
            if (acked) return;
            acked = true;
            unacked--;
            this.cursor = resume;
          },
        };
      }
      if (page.events.length === 0 && unacked === 0) this.cursor = page.next;
      from = { sequence: page.next };
    }
  }
}
