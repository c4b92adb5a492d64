import type { ChangeSpec } from '../changes/change-spec';
import { EventEnvelope } from './event-envelope';
import { EventData } from './shape-checks';

/** HSM key ids and data keys (keyring sequences of wrapped data keys) an event names. */
export interface EventMaterial {
  hsmKeyIds: string[];
  deks: number[];
}

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
  /** The material the event refers to: what must survive the command that made it (none when absent). */
  material?(event: E): EventMaterial;
  /** What a purge destroys (HSM keys; `hsmKeyIds` absent for a kind that has none) and shreds (data keys). */
  purges?(event: E): { hsmKeyIds?: string[]; deks: number[] };
}

/** One entry per event type of `E`: a missing or extra one is a compile error. */
export type EventCatalogue<E extends EventEnvelope> = { readonly [T in E['type']]: EventEntry<Extract<E, { type: T }>> };
