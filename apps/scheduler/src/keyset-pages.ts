import { SCAN_START, ScanCursor } from '@coffer/read-model';

/** Every row of a keyset-paged query, page by page (constant memory, whatever the table size). */
export async function* keysetPages<R extends ScanCursor>(
  fetch: (after: ScanCursor, limit: number) => Promise<R[]>,
  pageSize: number,
  examined: (n: number) => void,
): AsyncIterable<R> {
  let after: ScanCursor = SCAN_START;
  for (;;) {
    const page = await fetch(after, pageSize);
    examined(page.length);
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { vault: last.vault, name: last.name };
  }
}
