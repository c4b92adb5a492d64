import { DAY_MS, expiryNoticeDue, isDue } from '@coffer/domain';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';
import { expiryNoticeOf } from './expiry-notice-of';

/** Secrets: SecretNearExpiry (the vault's window, default 30 days before exp) and SecretExpired, for the current version. */
export class SecretExpiryRule implements LifecycleRule {
  readonly name = 'secret-expiry';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    // The SQL bound is generous (a day of slack for exp strings in other ISO forms); exact times below.
    const bound = new Date(ctx.now + ctx.maxNearExpiryWindowMs + DAY_MS).toISOString();
    const pages = keysetPages((after, limit) => ctx.queries.secretsExpiring(bound, after, limit), ctx.pageSize, ctx.examined);
    for await (const secret of pages) {
      if (!secret.exp) continue;
      const window = ctx.nearExpiryWindowMs(secret.vault);
      const kind = expiryNoticeOf(secret, ctx.now, window);
      if (!kind) continue;
      const due = expiryNoticeDue(kind, secret.exp, window);
      if (!isDue(due, ctx.now)) continue;
      const days = Math.round(window / DAY_MS);
      yield {
        object: `${secret.vault}/secrets/${secret.name}`, version: secret.version, action: `notify-${kind}`, due,
        send: (client, requestId) => client.secrets(secret.vault).notify(secret.name, secret.version, kind, { requestId, nearExpiryDays: days }),
      };
    }
  }
}
