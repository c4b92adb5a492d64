import { isDue, purgeDue } from '@coffer/domain';
import { READ_MODEL_KINDS } from '@coffer/read-model';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';

/** Every soft-deletable kind of the read model (its `purgeable`), in registry order. */
const TARGETS = READ_MODEL_KINDS.flatMap((kind) => (kind.purgeable ? [kind.purgeable] : []));

/**
 * Soft-deleted objects of every purgeable kind (secrets, keys, certificates) whose scheduled purge date has passed
 * are purged with the ordinary purge command (its due time is that date, so a recovered-then-deleted object gets a new id).
 */
export class PurgeDeletedRule implements LifecycleRule {
  readonly name = 'purge-deleted';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    const now = new Date(ctx.now).toISOString();
    for (const target of TARGETS) {
      for await (const row of keysetPages((after, limit) => ctx.queries.purgeable(target, now, after, limit), ctx.pageSize, ctx.examined)) {
        const due = purgeDue(row.scheduledPurgeDate);
        if (!isDue(due, ctx.now)) continue;
        yield {
          object: `${row.vault}/${target.objects}/${row.name}`, version: '', action: 'purge', due,
          send: (client, requestId) => client[target.objects](row.vault).purge(row.name, { requestId }),
        };
      }
    }
  }
}
