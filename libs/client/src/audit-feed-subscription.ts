import { AuditCheckpoint, AuditFeedRecord, AuditOutcome, FetchAuditFeedReply } from '@coffer/contracts/protocol';
import { AuditFeedCursor, AuditFeedKey, AuditFeedVerifier } from './audit-feed-verifier';
import { CallOptions } from './request';

/** Where a tail starts: a verified cursor (resume), a bare chain position, a time, the beginning of the chain, or now. */
export type AuditFeedStart = { cursor: AuditFeedCursor } | { position: number } | { time: Date | string } | 'beginning' | 'now';

export interface AuditFeedOptions extends CallOptions {
  /** Only this vault's records whole (needs Coffer Audit Reader at the vault; without it, at the root). */
  vault?: string;
  principal?: string;
  outcome?: AuditOutcome;
  from?: AuditFeedStart;
  /** Whole records per page. */
  maxRecords?: number;
  /** Long poll: an empty page waits this long for the next record. */
  waitMs?: number;
}

export interface AuditTailOptions extends Omit<AuditFeedOptions, 'requestId'> {
  /** The audit key to trust (pinned); without it, the first page's key is pinned (see `subscription.key`). */
  key?: AuditFeedKey;
  /** Stop at the chain head instead of waiting for more. */
  follow?: boolean;
}

/** A verified record or checkpoint, and the cursor to save once it is handled (resume with `from: {cursor}`). */
export type TailedAuditItem =
  | { kind: 'record'; record: AuditFeedRecord; cursor: AuditFeedCursor }
  | { kind: 'checkpoint'; checkpoint: AuditCheckpoint; cursor: AuditFeedCursor };

export type AuditFeedPageFetcher = (options: AuditFeedOptions) => Promise<FetchAuditFeedReply>;

const DEFAULT_WAIT_MS = 10_000;

/**
 * The audit feed as it happens, verified page by page (AuditFeedVerifier: an AuditFeedIntegrityError
 * ends the iteration at the first gap, tampered record or bad signature). Delivery is at least once:
 * save `cursor` after handling an item (it also moves over empty pages and runs of records outside
 * the scope) and resume with `from: {cursor}`.
 */
export class AuditFeedSubscription implements AsyncIterable<TailedAuditItem> {
  private readonly verifier: AuditFeedVerifier;
  private stopped = false;

  constructor(private readonly fetchPage: AuditFeedPageFetcher, private readonly options: AuditTailOptions) {
    const from = options.from;
    this.verifier = new AuditFeedVerifier(options, { cursor: typeof from === 'object' && 'cursor' in from ? from.cursor : undefined, key: options.key });
  }

  /** After the last handled item (undefined before the first page). */
  cursor: AuditFeedCursor | undefined;

  /** The audit key pages are checked with (pinned on the first page unless given). */
  get key(): AuditFeedKey | undefined {
    return this.verifier.key;
  }

  stop(): void {
    this.stopped = true;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TailedAuditItem> {
    const follow = this.options.follow ?? true;
    const fetchFrom = (from: AuditFeedStart) => this.fetchPage({ ...this.options, from, waitMs: follow ? (this.options.waitMs ?? DEFAULT_WAIT_MS) : 0 });
    this.cursor = this.verifier.cursor;
    let stopAt: number | undefined; // without follow: the chain head when the tail started
    let pending = fetchFrom(this.options.from ?? 'beginning');
    while (!this.stopped) {
      const page = await pending;
      stopAt ??= page.head;
      const done = !follow && (page.items.length === 0 || page.next > stopAt);
      // The next page is on its way while this one is verified and handled (a page that moved: no long poll needed).
      if (!done) pending = fetchFrom({ position: page.next });
      if (!done) pending.catch(() => undefined); // awaited on the next turn; never an unhandled rejection meanwhile
      for (const { item, cursor } of this.verifier.verify(page)) {
        if (this.stopped) return;
        yield item.kind === 'record' ? { kind: 'record', record: item, cursor } : { kind: 'checkpoint', checkpoint: item.checkpoint, cursor };
        this.cursor = cursor;
      }
      this.cursor = this.verifier.cursor ?? this.cursor;
      if (done) return;
    }
  }
}
