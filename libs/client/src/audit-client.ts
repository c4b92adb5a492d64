import { AuditOp, AuditOutcome, AuditRecord, AuditVerifyReply, AuthSubjects, ObjectUsage, Page } from '@coffer/contracts';
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

  /** Checks the hash chain and signed checkpoints; `ok` false lists the problems. */
  verify(options: AuditVerifyOptions = {}): Promise<AuditVerifyReply> {
    return this.call('verify', { fromSequence: options.fromSequence }, options);
  }

  /** Who last read each version of an object, and when. */
  usage(objectId: string, options: CallOptions = {}): Promise<ObjectUsage> {
    return this.call('usage', { objectId }, options);
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
