import { LifetimeAction } from '@coffer/contracts';
import { isDue, rotationDue } from '@coffer/domain';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';

/**
 * Rotation policies: `Rotate` at `timeAfterCreate` (after the current version was created) or
 * `timeBeforeExpiry` (before its exp) → the ordinary `key.rotate`, check-and-set on the version
 * it was computed for, so a rotation that already happened is never repeated.
 */
export class KeyRotationRule implements LifecycleRule {
  readonly name = 'key-rotation';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    for await (const key of keysetPages((after, limit) => ctx.queries.keysWithLifecycle(after, limit), ctx.pageSize, ctx.examined)) {
      if (!key.lifetimeActions) continue;
      const due = rotationDue(JSON.parse(key.lifetimeActions) as LifetimeAction[], { created: key.created, exp: key.exp ?? undefined });
      if (!isDue(due, ctx.now)) continue;
      yield {
        object: `${key.vault}/keys/${key.name}`, version: key.version, action: 'rotate', due,
        send: (client, requestId) => client.keys(key.vault).rotate(key.name, { requestId, ifMatch: key.version }),
      };
    }
  }
}
