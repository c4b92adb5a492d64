import { DomainEvent } from '@coffer/contracts';

/** An event as a decider produces it; the event store adds the metadata (request id, time). */
export type NewEvent<E extends DomainEvent = DomainEvent> = E extends DomainEvent ? Omit<E, 'metadata'> : never;
