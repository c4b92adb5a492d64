import { REQUEST_ID } from '@coffer/contracts';
import { createHash } from 'node:crypto';

/** What identifies one scheduled action: the same inputs always give the same request id. */
export interface ActionKey {
  /** The object, e.g. `demo/keys/signing`. */
  object: string;
  /** The version it acts on ('' for whole-object actions such as purge). */
  version: string;
  action: string;
  /** When it fell due (epoch ms): a re-armed action (new exp, new deletion) gets a new id. */
  due: number;
}

/**
 * The request id of a scheduled action: a hash of object, version, action and due time. A
 * restart, a takeover or a second scheduler sends the same id, so the vault's request-id dedupe
 * (applied_requests, Nats-Msg-Id) applies it once and replays the outcome to the others.
 */
export function scheduledRequestId(key: ActionKey): string {
  const digest = createHash('sha256').update([key.object, key.version, key.action, new Date(key.due).toISOString()].join('\n')).digest('hex');
  const id = `sched-${key.action}-${digest.slice(0, 48)}`;
  if (!REQUEST_ID.test(id)) throw new Error(`scheduled request id '${id}' does not match ${REQUEST_ID.source}`);
  return id;
}
