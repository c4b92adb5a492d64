import { isDue, purgeDue } from '@coffer/domain';
import { PurgeableRow, ScanCursor } from '@coffer/read-model';
import { CofferClient } from '@coffer/client';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';

interface PurgeTarget {
  kind: 'secrets' | 'keys' | 'certificates';
  fetch(ctx: ScanContext, now: string, after: ScanCursor, limit: number): Promise<PurgeableRow[]>;
  purge(client: CofferClient, row: PurgeableRow, requestId: string): Promise<unknown>;
}

const TARGETS: PurgeTarget[] = [
  { kind: 'secrets', fetch: (ctx, now, after, limit) => ctx.queries.secretsPurgeable(now, after, limit), purge: (c, r, requestId) => c.secrets(r.vault).purge(r.name, { requestId }) },
  { kind: 'keys', fetch: (ctx, now, after, limit) => ctx.queries.keysPurgeable(now, after, limit), purge: (c, r, requestId) => c.keys(r.vault).purge(r.name, { requestId }) },
  // A certificate's purge takes its key and secret with it.
  {
    kind: 'certificates',
    fetch: (ctx, now, after, limit) => ctx.queries.certificatesPurgeable(now, after, limit),
    purge: (c, r, requestId) => c.certificates(r.vault).purge(r.name, { requestId }),
  },
];

/**
 * Soft-deleted secrets, keys and certificates whose scheduled purge date has passed are purged with the ordinary
 * purge command (its due time is that date, so a recovered-then-deleted object gets a new id).
 */
export class PurgeDeletedRule implements LifecycleRule {
  readonly name = 'purge-deleted';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    const now = new Date(ctx.now).toISOString();
    for (const target of TARGETS) {
      for await (const row of keysetPages((after, limit) => target.fetch(ctx, now, after, limit), ctx.pageSize, ctx.examined)) {
        const due = purgeDue(row.scheduledPurgeDate);
        if (!isDue(due, ctx.now)) continue;
        yield {
          object: `${row.vault}/${target.kind}/${row.name}`, version: '', action: 'purge', due,
          send: (client, requestId) => target.purge(client, row, requestId),
        };
      }
    }
  }
}
