import { PRINCIPAL_EVENTS } from '../auth/principal-events';
import { ROLE_ASSIGNMENT_CHANGE_TYPES, ROLE_ASSIGNMENT_EVENTS } from '../auth/role-assignment-events';
import { CERTIFICATE_CHANGE_TYPES, CERTIFICATE_EVENTS } from './certificate-events';
import { CONTACTS_CHANGE_TYPES, CONTACTS_EVENTS } from './contacts-events';
import { EventCatalogue } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { ISSUER_CHANGE_TYPES, ISSUER_EVENTS } from './issuer-events';
import { KEY_CHANGE_TYPES, KEY_EVENTS } from './key-events';
import { SECRET_CHANGE_TYPES, SECRET_EVENTS } from './secret-events';
import { VAULT_CHANGE_TYPES, VAULT_EVENTS } from './vault-events';

export * from './vault-events';
export * from './secret-events';
export * from './key-events';
export * from '../auth/principal-events';
export * from '../auth/role-assignment-events';
export * from './certificate-events';
export * from './issuer-events';
export * from './contacts-events';

/** One kind's event catalogue and the public change types its events map to. */
export interface EventKind<E extends EventEnvelope, C extends string> {
  events: EventCatalogue<E>;
  changeTypes: readonly C[];
}

const eventKind = <E extends EventEnvelope, C extends string = never>(events: EventCatalogue<E>, changeTypes: readonly C[] = []): EventKind<E, C> => ({
  events, changeTypes,
});

/**
 * Every kind's events, in catalogue order: DomainEvent, EVENT_CATALOGUE and CHANGE_EVENT_TYPES
 * derive from it, so a new kind is one `export *` and one entry here.
 */
export const EVENT_KINDS = [
  eventKind(VAULT_EVENTS, VAULT_CHANGE_TYPES), eventKind(SECRET_EVENTS, SECRET_CHANGE_TYPES), eventKind(KEY_EVENTS, KEY_CHANGE_TYPES),
  eventKind(PRINCIPAL_EVENTS), eventKind(ROLE_ASSIGNMENT_EVENTS, ROLE_ASSIGNMENT_CHANGE_TYPES), eventKind(CERTIFICATE_EVENTS, CERTIFICATE_CHANGE_TYPES),
  eventKind(ISSUER_EVENTS, ISSUER_CHANGE_TYPES), eventKind(CONTACTS_EVENTS, CONTACTS_CHANGE_TYPES),
] as const;

type KindEvents<K> = K extends EventKind<infer E, string> ? E : never;
type KindChangeTypes<K> = K extends EventKind<EventEnvelope, infer C> ? C : never;

/** Every kind's event union (DomainEvent). */
export type KindEvent = KindEvents<(typeof EVENT_KINDS)[number]>;
/** Every kind's change types (ChangeEventType). */
export type KindChangeType = KindChangeTypes<(typeof EVENT_KINDS)[number]>;
