import type { ChangeSpec } from '../changes/change-spec';
import { EventEnvelope } from './event-envelope';
import { EventData } from './shape-checks';

/** Everything Coffer knows about one event type besides its TypeScript shape, declared next to it. */
export interface EventEntry<E extends EventEnvelope> {
  /** Current schema version of `data`. Bump it and add an upcaster when the shape changes. */
  version: number;
  /** `upcasters[n]` turns version n data into version n + 1 data. */
  upcasters?: Record<number, (data: unknown) => unknown>;
  /** What is wrong with current-version data read from the log (field names only), if anything. */
  shape(data: EventData): string | undefined;
  /** The public change-feed changes the event stands for, in order (none for identity events). */
  changes(event: E): ChangeSpec[];
}

/** One entry per event type of `E`: a missing or extra one is a compile error. */
export type EventCatalogue<E extends EventEnvelope> = { readonly [T in E['type']]: EventEntry<Extract<E, { type: T }>> };
