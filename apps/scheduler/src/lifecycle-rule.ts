import { CofferClient } from '@coffer/client';
import { LifecycleQueries } from '@coffer/read-model';
import { ActionKey } from './request-id';

/** What a rule found due: an ordinary command to send, identified by its ActionKey. */
export interface DueAction extends ActionKey {
  /** Sends the command with the given request id (through the SDK, as any client would). */
  send(client: CofferClient, requestId: string): Promise<unknown>;
}

/** What every rule may look at during one scan. */
export interface ScanContext {
  /** "Now" of this scan (the scheduler's clock, dev-shifted in dev mode), epoch ms. */
  now: number;
  queries: LifecycleQueries;
  /** The NearExpiry window of a vault, ms. */
  nearExpiryWindowMs(vault: string): number;
  /** The widest NearExpiry window of any vault, ms (the SQL pre-filter). */
  maxNearExpiryWindowMs: number;
  pageSize: number;
  /** Counts the objects a rule looked at (the scan's statistics). */
  examined(n: number): void;
}

/**
 * One kind of lifecycle work (key rotation, expiry notices, purge, …). Adding one (certificate
 * renewal, say) is one more file in rules/ and one line in rules/index.ts.
 */
export interface LifecycleRule {
  readonly name: string;
  due(ctx: ScanContext): AsyncIterable<DueAction>;
}
