import { Page as RowPage } from '@coffer/read-model';
import { encodeToken } from './continuation-token';

/** The continuation token of a reply page: present when another page follows, positioned after the last row. */
export function continuationOf<R>(page: RowPage<R>, cursor: (row: R) => string | number): { continuationToken?: string } {
  const last = page.rows[page.rows.length - 1];
  return page.hasMore && last !== undefined ? { continuationToken: encodeToken(cursor(last)) } : {};
}
