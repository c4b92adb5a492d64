import {
  AuditOp, AuditOutcome, AuditRecord, AuditVerifyPage, AuditVerifyReply, AuthSubjects, FetchAuditFeedReply, ObjectUsage, Page, verifyAllPages,
} from '@coffer/contracts/protocol';
import { AuditFeedOptions, AuditFeedSubscription, AuditTailOptions } from './audit-feed-subscription';
import { toWireTime } from './dates';
import { callOptionsOf, ListOptions, nextPage, pageBody, PageOptions } from './list-options';
import { iteratePages } from './paging';
import { CallOptions, Requester } from './request';

export interface AuditFilter {
  /** Principal id (p-…). */
  principal?: string;
  /** A scope string such as /vaults/prod/secrets/db. */
  objectId?: string;
  /** A data action, e.g. Microsoft.KeyVault/vaults/secrets/getSecret/action. */
  action?: string;
  outcome?: AuditOutcome;
  since?: Date | string;
  until?: Date | string;
}

export interface AuditVerifyOptions extends CallOptions {
  /** Verify from this stream sequence on (default: the whole trail). */
  fromSequence?: number;
  /** Resume right after a signed checkpoint: 'latest' or its sequence (its HSM signature is checked, then its head trusted). */
  fromCheckpoint?: 'latest' | number;
  /** Records per page (one request each; default and maximum set by the service). */
  pageRecords?: number;
  /** Called after each page with that page's reply and the running total. */
  onProgress?: (page: AuditVerifyReply, total: AuditVerifyReply) => void;
}

/** The audit trail: `coffer.v1.audit.<op>`. */
export class AuditClient {
  constructor(private readonly requester: Requester) {}

  queryPage(options: AuditFilter & PageOptions = {}): Promise<Page<AuditRecord>> {
    return this.call('query', { ...filterBody(options), ...pageBody(options) }, options);
  }

  query(options: AuditFilter & ListOptions = {}): AsyncIterable<AuditRecord> {
    const filter = filterBody(options); // checked once, before the first request
    return iteratePages((token) => this.call<Page<AuditRecord>>('query', { ...filter, ...pageBody(nextPage(options, token)) }, options));
  }

  /**
   * Checks the hash chain and signed checkpoints; `ok` false lists the problems. The trail is
   * verified in pages (one bounded request each, so a long trail never hits the request timeout);
   * the replies are summed.
   */
  verify(options: AuditVerifyOptions = {}): Promise<AuditVerifyReply> {
    const first: AuditVerifyPage = {
      fromSequence: options.fromSequence,
      fromCheckpoint: options.fromCheckpoint === undefined ? undefined : String(options.fromCheckpoint),
      maxRecords: options.pageRecords,
    };
    return verifyAllPages((page) => this.verifyPage(page, options), first, options.onProgress);
  }

  /** One page of verification (see AuditVerifyRequest). */
  verifyPage(page: AuditVerifyPage, options: CallOptions = {}): Promise<AuditVerifyReply> {
    return this.call('verify', page, options);
  }

  /** Who last read each version of an object, and when. */
  usage(objectId: string, options: CallOptions = {}): Promise<ObjectUsage> {
    return this.call('usage', { objectId }, options);
  }

  /** One page of the audit feed (unverified: `tail` verifies, or pass pages to an AuditFeedVerifier). */
  feedPage(options: AuditFeedOptions = {}): Promise<FetchAuditFeedReply> {
    const from = options.from ?? 'beginning';
    const body = {
      vault: options.vault,
      principal: options.principal,
      outcome: options.outcome,
      fromPosition: typeof from === 'object' ? ('cursor' in from ? from.cursor.position : 'position' in from ? from.position : undefined) : undefined,
      fromTime: typeof from === 'object' && 'time' in from ? toWireTime(from.time, 'from') : undefined,
      fromNow: from === 'now' ? true : undefined,
      maxRecords: options.maxRecords,
      waitMs: options.waitMs,
    };
    // A long poll must not time out before the server answers.
    const timeoutMs = options.waitMs ? Math.max(options.timeoutMs ?? 0, options.waitMs + 10_000) : options.timeoutMs;
    return this.call('feed', body, { ...options, timeoutMs });
  }

  /**
   * Follows the audit feed in chain order, verifying every page (see AuditFeedSubscription): the
   * records of its scope whole, signed checkpoints as they occur, a resumable cursor.
   */
  tail(options: AuditTailOptions = {}): AuditFeedSubscription {
    return new AuditFeedSubscription((o) => this.feedPage(o), options);
  }

  private call<T>(op: AuditOp, body: object, options: CallOptions): Promise<T> {
    return this.requester.request<T>(AuthSubjects.audit(op), body, callOptionsOf(options));
  }
}

function filterBody(filter: AuditFilter) {
  return {
    principal: filter.principal,
    objectId: filter.objectId,
    action: filter.action,
    outcome: filter.outcome,
    since: filter.since === undefined ? undefined : toWireTime(filter.since, 'since'),
    until: filter.until === undefined ? undefined : toWireTime(filter.until, 'until'),
  };
}
