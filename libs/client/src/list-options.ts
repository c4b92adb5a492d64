import { CallOptions } from './request';

/** One page of a list: `maxResults` items at most (1–25), after `continuationToken`. */
export interface PageOptions extends CallOptions {
  maxResults?: number;
  continuationToken?: string;
}

/** Iteration over every page; each page is its own request (with its own request id). */
export interface ListOptions extends Omit<CallOptions, 'requestId'> {
  /** Items per page request (1–25; the service's default when omitted). */
  pageSize?: number;
}

export interface PageBody {
  maxResults?: number;
  continuationToken?: string;
}

/** The wire body of a page request (undefined fields vanish in JSON). */
export function pageBody(options: PageOptions): PageBody {
  return { maxResults: options.maxResults, continuationToken: options.continuationToken };
}

/** Just the call options, so nothing else leaks into them. */
export function callOptionsOf(options: CallOptions): CallOptions {
  return { timeoutMs: options.timeoutMs, requestId: options.requestId, retries: options.retries };
}

/** The page request a list iteration makes for `continuationToken`. */
export function nextPage(options: ListOptions, continuationToken: string | undefined): PageOptions {
  return { timeoutMs: options.timeoutMs, retries: options.retries, maxResults: options.pageSize, continuationToken };
}
