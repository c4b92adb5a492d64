import { CofferClient } from '@coffer/client';
import { isHookSubject, RotationHookReply, RotationHookRequest, RotationHookTags } from '@coffer/contracts';
import { DAY_MS, isDue, isoDurationMs } from '@coffer/domain';
import { ExpiringSecretRow } from '@coffer/read-model';
import { NatsConnection } from 'nats';
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

/** Logs a skipped hook (a tag set before hook subjects were validated); rate-limited by the caller's log level. */
export type HookSkipLogger = { warn(obj: object, msg: string): void };

/**
 * Secret rotation through a hook: ask the subject the secret names for a new value, then set it
 * as the new version with the same request id (check-and-set on the rotated version), so the
 * vault applies it once whoever asks again. The hook request goes over `hooks` (the scheduler's
 * hook connection, whose NATS user may publish to coffer.hooks.> only), and only to a subject in
 * the secret's own vault's hook namespace: a tag that names anything else (set before the vault
 * validated tags) is skipped and logged.
 */
export class SecretRotationHookRule implements LifecycleRule {
  readonly name = 'secret-rotation-hook';
  private readonly skipped = new Set<string>();

  constructor(private readonly hooks?: NatsConnection, private readonly logger?: HookSkipLogger) {}

  async *due(ctx: ScanContext): AsyncIterable<DueAction> {
    // The scan query also returns secrets that carry hook tags, whatever their exp.
    const bound = new Date(ctx.now + ctx.maxNearExpiryWindowMs + DAY_MS).toISOString();
    for await (const row of keysetPages((after, limit) => ctx.queries.secretsExpiring(bound, after, limit), ctx.pageSize, ctx.examined)) {
      const due = hookRotationDue(row);
      if (!isDue(due, ctx.now)) continue;
      const object = `${row.vault}/secrets/${row.name}`;
      if (!isHookSubject(row.vault, row.tags![RotationHookTags.subject])) {
        // Logged once per object and version, without the subject (it is caller input).
        const key = `${object}/${row.version}`;
        if (!this.skipped.has(key) && this.skipped.size < 10_000) {
          this.skipped.add(key);
          this.logger?.warn({ object, version: row.version }, 'rotation hook skipped: its subject is not in coffer.hooks.<vault>.');
        }
        continue;
      }
      yield {
        object, version: row.version, action: 'rotate-hook', due,
        send: (client, requestId) => rotateThroughHook(this.hooks ?? client.connection, client, row, requestId),
      };
    }
  }
}

async function rotateThroughHook(hooks: NatsConnection, client: CofferClient, row: ExpiringSecretRow, requestId: string): Promise<unknown> {
  const subject = row.tags![RotationHookTags.subject];
  const request: RotationHookRequest = { vault: row.vault, name: row.name, version: row.version, requestId };
  const msg = await hooks.request(subject, encoder.encode(JSON.stringify(request)), { timeout: HOOK_TIMEOUT_MS });
  const reply = JSON.parse(decoder.decode(msg.data)) as RotationHookReply;
  if (!('value' in reply) || typeof reply.value !== 'string') throw new Error(`rotation hook ${subject} answered no value`);
  return client.secrets(row.vault).set(row.name, reply.value, {
    requestId, ifMatch: row.version, tags: row.tags ?? undefined, ...(row.contentType !== null && { contentType: row.contentType }),
  });
}
