import { ChangeEventType, ChangeObjectType } from '../changes/change-feed';
import { ChangeSpec } from '../changes/change-spec';
import { EventCatalogue, EventEntry, EventMaterial } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { EVENT_KINDS, KindEvent } from '../kinds/contract-kinds';
import { EventData, isObj } from './shape-checks';

export type DomainEvent = KindEvent;
export type DomainEventType = DomainEvent['type'];

/** Every event type, declared per object kind next to its shape (see CONTRACT_KINDS and the kinds' `*_EVENTS`). */
export const EVENT_CATALOGUE = Object.assign({}, ...EVENT_KINDS.map((kind) => kind.events)) as EventCatalogue<DomainEvent>;

/** Current schema version of each event type (what deciders write). */
export const EVENT_VERSIONS = Object.fromEntries(
  Object.entries(EVENT_CATALOGUE).map(([type, entry]) => [type, entry.version]),
) as Readonly<Record<DomainEventType, number>>;

/** The entry of a type read from the log (own keys only: `toString` is no event type). */
function entryOf(type: string): EventEntry<DomainEvent> | undefined {
  return Object.hasOwn(EVENT_CATALOGUE, type) ? (EVENT_CATALOGUE as Record<string, EventEntry<DomainEvent>>)[type] : undefined;
}

export class UnknownEventError extends Error {
  constructor(readonly eventType: string, readonly eventVersion: number) {
    super(`Unknown event ${eventType} v${eventVersion}`);
  }
}

/** Brings any stored event to the current shape of its type. */
export function upcast(stored: EventEnvelope): DomainEvent {
  const entry = entryOf(stored.type);
  if (entry === undefined || stored.version > entry.version) throw new UnknownEventError(stored.type, stored.version);
  let data = stored.data;
  for (let v = stored.version; v < entry.version; v++) {
    const step = entry.upcasters?.[v];
    if (!step) throw new UnknownEventError(stored.type, v);
    data = step(data);
  }
  return { ...stored, version: entry.version, data } as DomainEvent;
}

/** What is wrong with an upcast event's data (field names only, never values), if anything. */
export function eventShapeProblem(event: DomainEvent): string | undefined {
  const entry = entryOf(event.type);
  if (entry === undefined) return `unknown type ${event.type}`;
  return isObj(event.data) ? entry.shape(event.data as unknown as EventData) : 'data must be an object';
}

/** The material (HSM keys, data keys) an event refers to, as its catalogue entry declares. */
export function materialOf(event: DomainEvent): EventMaterial {
  return entryOf(event.type)?.material?.(event) ?? { hsmKeyIds: [], deks: [] };
}

/** What a purge event destroys and shreds, as its catalogue entry declares (nothing for any other event). */
export function purgedBy(event: DomainEvent): { hsmKeyIds?: string[]; deks: number[] } {
  return entryOf(event.type)?.purges?.(event) ?? { deks: [] };
}

/** The public changes an event stands for (see toChangeEvents). */
export function changeSpecsOf(event: DomainEvent): (ChangeSpec<ChangeEventType> & { objectType: ChangeObjectType })[] {
  // Each kind's specs use its own change types and object type, which CHANGE_EVENT_TYPES and CHANGE_OBJECT_TYPES are made of.
  return (entryOf(event.type)?.changes(event) ?? []) as (ChangeSpec<ChangeEventType> & { objectType: ChangeObjectType })[];
}
