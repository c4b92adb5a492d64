import { EventEnvelope } from '../events/event-envelope';
import { CERTIFICATE_CONTRACT } from './certificate.contract';
import { CONTACTS_CONTRACT } from './contacts.contract';
import { ContractKind, EventKind } from './contract-kind';
import { ISSUER_CONTRACT } from './issuer.contract';
import { KEY_CONTRACT } from './key.contract';
import { PRINCIPAL_CONTRACT } from './principal.contract';
import { ROLE_ASSIGNMENT_CONTRACT } from './role-assignment.contract';
import { SECRET_CONTRACT } from './secret.contract';
import { VAULT_CONTRACT } from './vault.contract';

export * from './contract-kind';
export * from './vault.contract';
export * from './secret.contract';
export * from './key.contract';
export * from './principal.contract';
export * from './role-assignment.contract';
export * from './certificate.contract';
export * from './issuer.contract';
export * from './contacts.contract';

/**
 * Every kind of the wire contract, by name (the key of Subjects.<name>, Patterns.<name> and
 * Streams.events.<name>), in catalogue order. What the contracts list per kind derives from it:
 * subjects, data actions, RBAC object kinds, not-found codes, change object types, the event
 * catalogue and change types; the package exports what the kind files export. A new kind is one
 * `export *` and one entry here.
 */
export const CONTRACT_KINDS = {
  vault: VAULT_CONTRACT, secret: SECRET_CONTRACT, key: KEY_CONTRACT, principal: PRINCIPAL_CONTRACT, roleAssignment: ROLE_ASSIGNMENT_CONTRACT,
  certificate: CERTIFICATE_CONTRACT, issuer: ISSUER_CONTRACT, contacts: CONTACTS_CONTRACT,
} as const satisfies Record<string, ContractKind>;

type Kinds = typeof CONTRACT_KINDS;
export type ContractKindName = keyof Kinds;
/** The declarations, in catalogue order. */
export const CONTRACT_KIND_LIST: readonly Kinds[ContractKindName][] = Object.values(CONTRACT_KINDS);

/** Names of the kinds that declare `F`. */
export type KindsWith<F extends keyof ContractKind> = { [K in ContractKindName]: Kinds[K] extends Required<Pick<ContractKind, F>> ? K : never }[ContractKindName];
/** The value of field `F` of every kind that declares it (a union). */
export type KindField<F extends keyof ContractKind> = { [K in KindsWith<F>]: Kinds[K] extends Record<F, infer V> ? V : never }[KindsWith<F>];

/** The kinds that declare `field`, with their names. */
export function kindsWith<F extends keyof ContractKind>(field: F): [KindsWith<F>, Required<ContractKind>[F]][] {
  return Object.entries(CONTRACT_KINDS).flatMap(([name, kind]) => {
    const value = (kind as ContractKind)[field];
    return value === undefined ? [] : [[name as KindsWith<F>, value as Required<ContractKind>[F]]];
  });
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every kind's data actions, merged (DataActions' kind part). */
export type KindActions = UnionToIntersection<KindField<'actions'>>;

type KindEvents<K> = K extends EventKind<infer E, string> ? E : never;
type KindChangeTypes<K> = K extends EventKind<EventEnvelope, infer C> ? C : never;
/** Every kind's event union (DomainEvent). */
export type KindEvent = KindEvents<Kinds[ContractKindName]['events']>;
/** Every kind's change types (ChangeEventType). */
export type KindChangeType = KindChangeTypes<Kinds[ContractKindName]['events']>;

/** Every kind's events and change types, in catalogue order (DomainEvent, EVENT_CATALOGUE and CHANGE_EVENT_TYPES derive from it). */
export const EVENT_KINDS: readonly Kinds[ContractKindName]['events'][] = CONTRACT_KIND_LIST.map((kind) => kind.events);
