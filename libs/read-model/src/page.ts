/** One page of a keyset-paged list: `hasMore` says whether a next page exists (continue after the last row). */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

/** Turns `limit + 1` fetched rows into a page. */
export function toPage<T>(fetched: T[], limit: number): Page<T> {
  return fetched.length > limit ? { rows: fetched.slice(0, limit), hasMore: true } : { rows: fetched, hasMore: false };
}
