import { PUBLIC_PREFIX } from '../subjects';
import { ChangeDetails } from './change-spec';
import { EVENT_KINDS, KindChangeType, KindField, kindsWith } from '../kinds/contract-kinds';

/**
 * The public change feed: every change to every object as a CloudEvents 1.0 event, computed from
 * the event log on read (so a replay from any cursor returns the same events in the same order).
 * Types are Azure Event Grid's Key Vault types in the `Coffer.KeyVault.` namespace, plus the
 * changes Azure does not publish (deleted, recovered, purged, attributes updated, role assignments).
 */
export const CHANGE_TYPE_PREFIX = 'Coffer.KeyVault.';

/** Every change type, declared per object kind next to the events they are mapped from. */
export const CHANGE_EVENT_TYPES: readonly KindChangeType[] = EVENT_KINDS.flatMap((kind): readonly KindChangeType[] => kind.changeTypes);
export type ChangeEventType = KindChangeType;

/** What a change is about (Event Grid's ObjectType): each kind's `change.objectType`. */
export type ChangeObjectType = KindField<'change'>['objectType'];
export const CHANGE_OBJECT_TYPES: readonly ChangeObjectType[] = kindsWith('change').map(([, change]) => change.objectType as ChangeObjectType);
/** The path of an object id (`coffer://<vault>/<path>/<name>[/<version>]`) per object type ('' for a vault). */
export const CHANGE_OBJECT_PATHS = Object.fromEntries(kindsWith('change').map(([, change]) => [change.objectType, change.path])) as Readonly<Record<ChangeObjectType, string>>;

/** `data` of a change event: Event Grid's Key Vault schema (no values, no key material). */
export interface ChangeEventData extends ChangeDetails {
  Id: string;
  VaultName: string;
  ObjectType: ChangeObjectType;
  ObjectName: string;
}

export interface ChangeEvent {
  specversion: '1.0';
  /** Unique and stable: the event log sequence (plus `.n` when one log event yields several changes). */
  id: string;
  /** `coffer://<vault>` (`coffer://_system` for role assignments at the root scope). */
  source: string;
  type: `${typeof CHANGE_TYPE_PREFIX}${ChangeEventType}`;
  /** The object's id, e.g. `coffer://demo/secrets/db/<version>`. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Position in the event log: resume after it with `{from: {sequence: cofferseq + 1}}`. */
  cofferseq: number;
  data: ChangeEventData;
}

export const ChangeSubjects = {
  fetch: `${PUBLIC_PREFIX}.changes.fetch`,
} as const;

export const ChangeLimits = {
  maxEventsDefault: 100,
  maxEventsMax: 256,
  waitMsMax: 30_000,
} as const;

export interface FetchChangesReply {
  events: ChangeEvent[];
  /** Where the next fetch starts (`fromSequence`): after every log event this page looked at. */
  next: number;
}
