import { Page } from '@coffer/contracts/protocol';
import { CofferRequestError, ClientInnerCodes } from './errors';

/** Fetches one page: no token for the first page, then the token the previous page returned. */
export type PageFetcher<T> = (continuationToken: string | undefined) => Promise<Page<T>>;

/** Every item of every page, fetching the next page only when the caller gets that far. */
export async function* iteratePages<T>(fetchPage: PageFetcher<T>): AsyncGenerator<T, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield* page.value;
    token = page.continuationToken || undefined;
    // A token handed out twice would make this loop forever.
    if (token !== undefined) {
      if (seen.has(token)) {
        throw new CofferRequestError('InternalError', 'The service returned the same continuation token twice.', '', ClientInnerCodes.MalformedReply);
      }
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Collects at most `limit` items (all of them without a limit), stopping the iteration early. */
export async function take<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
