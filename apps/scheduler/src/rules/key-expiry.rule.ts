import { LifetimeAction } from '@coffer/contracts';
import { expiryNoticeDue, isDue, notifyWindowMs } from '@coffer/domain';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';
import { expiryNoticeOf } from './expiry-notice-of';

/**
 * Keys: KeyExpired once the current version's exp has passed; KeyNearExpiry when the rotation
 * policy has a `Notify` action (`timeBeforeExpiry`), as Azure does.
 */
export class KeyExpiryRule implements LifecycleRule {
  readonly name = 'key-expiry';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    for await (const key of keysetPages((after, limit) => ctx.queries.keysWithLifecycle(after, limit), ctx.pageSize, ctx.examined)) {
      if (!key.exp) continue;
      const window = key.lifetimeActions ? notifyWindowMs(JSON.parse(key.lifetimeActions) as LifetimeAction[]) : undefined;
      const kind = expiryNoticeOf(key, ctx.now, window);
      if (!kind) continue;
      const due = expiryNoticeDue(kind, key.exp, window ?? 0);
      if (!isDue(due, ctx.now)) continue;
      yield {
        object: `${key.vault}/keys/${key.name}`, version: key.version, action: `notify-${kind}`, due,
        send: (client, requestId) => client.keys(key.vault).notify(key.name, key.version, kind, { requestId }),
      };
    }
  }
}
