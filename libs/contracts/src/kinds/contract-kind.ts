import { EventCatalogue } from '../events/event-catalogue';
import { EventEnvelope } from '../events/event-envelope';

/** Azure Key Vault's data-action namespace (`Microsoft.KeyVault/vaults/secrets/getSecret/action`…). */
export const KV_ACTIONS = 'Microsoft.KeyVault/vaults';

/** One kind's event catalogue and the public change types its events map to. */
export interface EventKind<E extends EventEnvelope, C extends string> {
  events: EventCatalogue<E>;
  changeTypes: readonly C[];
}

export const eventKind = <E extends EventEnvelope, C extends string = never>(events: EventCatalogue<E>, changeTypes: readonly C[] = []): EventKind<E, C> => ({
  events, changeTypes,
});

/**
 * Everything the wire contract says about one kind, declared once in its `kinds/<kind>.contract.ts`
 * (which also re-exports the kind's events and requests). CONTRACT_KINDS collects the declarations;
 * Subjects, Patterns, Streams.events, DataActions, ObjectKind, ErrorCodes, CHANGE_OBJECT_TYPES and
 * the event catalogue derive from it. Every field but `events` is optional: a kind declares what it has.
 */
export interface ContractKind<E extends EventEnvelope = EventEnvelope, C extends string = string> {
  /** Its events (the EVENT_CATALOGUE is every kind's). */
  events: EventKind<E, C>;
  /** Request subjects `coffer.v1.vault.<vault>.<token>.<op>` (Subjects.<kind>, Patterns.<kind>). */
  requests?: { token: string; ops: readonly string[] };
  /**
   * Event subject (Streams.events.<kind>): `coffer.events.<vault>.<token>.<name>` (named, one per object)
   * or `coffer.events.<vault>.<token>` (one per vault).
   */
  stream?: { token: string; shape: 'named' | 'vault' };
  /** Object-level RBAC scope `/vaults/<vault>/<objects>/<name>` (ObjectKind; also the SDK accessor the scheduler purges through). */
  objects?: string;
  /** Data actions, Azure's names where Azure has one (merged into DataActions). */
  actions?: Readonly<Record<string, string>>;
  /** The error code and noun of a missing object: `SecretNotFound`, "Secret 'x' was not found." */
  notFound?: { code: string; noun: string };
  /** Event Grid's ObjectType of the kind's changes and the path of its object ids (`coffer://<vault>/<path>/<name>`). */
  change?: { objectType: string; path: string };
}

/** Declares a kind, keeping its literal types (subject tokens, ops, action strings, codes) for the derived types. */
export const contractKind = <const K extends ContractKind>(kind: K): K => kind;
