import { Page } from '@coffer/contracts';
import { AzureError } from './azure-error';

export interface PageRequest {
  maxResults?: number;
  continuationToken?: string;
}

/** `maxresults` (1–25, as Azure) and `$skiptoken` (the continuation token of the nextLink we handed out). */
export function pageRequestOf(query: Record<string, unknown>): PageRequest {
  const raw = query.maxresults;
  let maxResults: number | undefined;
  if (raw !== undefined) {
    maxResults = Number(raw);
    if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw) || maxResults < 1 || maxResults > 25) {
      throw AzureError.badParameter('maxresults must be an integer from 1 to 25.');
    }
  }
  const skip = query.$skiptoken;
  if (skip !== undefined && (typeof skip !== 'string' || skip.length > 2048)) throw AzureError.badParameter('$skiptoken is not valid.');
  return { maxResults, continuationToken: skip as string | undefined };
}

/** Azure's page: `value` and, when there is more, a `nextLink` on the origin the client called. */
export function azurePage<T, U>(
  page: Page<T>, map: (item: T) => U, origin: string, path: string, apiVersion: string, request: PageRequest,
): { value: U[]; nextLink: string | null } {
  let nextLink: string | null = null;
  if (page.continuationToken) {
    const query = new URLSearchParams({ 'api-version': apiVersion });
    if (request.maxResults !== undefined) query.set('maxresults', String(request.maxResults));
    query.set('$skiptoken', page.continuationToken);
    nextLink = `${origin}${path}?${query.toString()}`;
  }
  return { value: page.value.map(map), nextLink };
}
