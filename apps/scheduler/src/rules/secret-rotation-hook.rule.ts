import { CofferClient } from '@coffer/client';
import { RotationHookReply, RotationHookRequest, RotationHookTags } from '@coffer/contracts';
import { DAY_MS, isDue, isoDurationMs } from '@coffer/domain';
import { ExpiringSecretRow } from '@coffer/read-model';
import { DueAction, LifecycleRule, ScanContext } from '../lifecycle-rule';
import { keysetPages } from '../keyset-pages';

const HOOK_TIMEOUT_MS = 30_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** When a hook-rotated secret's current version is due for rotation, or undefined (no or bad tags). */
export function hookRotationDue(row: Pick<ExpiringSecretRow, 'tags' | 'created'>): number | undefined {
  const interval = row.tags?.[RotationHookTags.interval];
  if (!row.tags?.[RotationHookTags.subject] || !interval) return undefined;
  const ms = isoDurationMs(interval);
  return ms === undefined || ms <= 0 ? undefined : Date.parse(row.created) + ms;
}

/**
 * Secret rotation through a hook: ask the subject the secret names for a new value, then set it
 * as the new version with the same request id (check-and-set on the rotated version), so the
 * vault applies it once whoever asks again.
 */
export class SecretRotationHookRule implements LifecycleRule {
  readonly name = 'secret-rotation-hook';

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    // The scan query also returns secrets that carry hook tags, whatever their exp.
    const bound = new Date(ctx.now + ctx.maxNearExpiryWindowMs + DAY_MS).toISOString();
    for await (const row of keysetPages((after, limit) => ctx.queries.secretsExpiring(bound, after, limit), ctx.pageSize, ctx.examined)) {
      const due = hookRotationDue(row);
      if (!isDue(due, ctx.now)) continue;
      yield {
        object: `${row.vault}/secrets/${row.name}`, version: row.version, action: 'rotate-hook', due,
        send: (client, requestId) => rotateThroughHook(client, row, requestId),
      };
    }
  }
}

async function rotateThroughHook(client: CofferClient, row: ExpiringSecretRow, requestId: string): Promise<unknown> {
  const subject = row.tags![RotationHookTags.subject];
  const request: RotationHookRequest = { vault: row.vault, name: row.name, version: row.version, requestId };
  const msg = await client.connection.request(subject, encoder.encode(JSON.stringify(request)), { timeout: HOOK_TIMEOUT_MS });
  const reply = JSON.parse(decoder.decode(msg.data)) as RotationHookReply;
  if (!('value' in reply) || typeof reply.value !== 'string') throw new Error(`rotation hook ${subject} answered no value`);
  return client.secrets(row.vault).set(row.name, reply.value, {
    requestId, ifMatch: row.version, tags: row.tags ?? undefined, ...(row.contentType !== null && { contentType: row.contentType }),
  });
}
