import { ChangeEventData, ChangeEventType, ChangeObjectType } from './change-feed';

/**
 * One public change a logged event stands for, before it gets its place in the feed (id, time,
 * source and object id are added by toChangeEvents from the event's subject and sequence).
 */
export interface ChangeSpec {
  type: ChangeEventType;
  objectType: ChangeObjectType;
  /** The object's name (a Vault change: the vault's). */
  name: string;
  /** Version, NBF, EXP, Contacts where the change has them. */
  data?: Partial<ChangeEventData>;
  /** The vault the change is attributed to when it is not the event subject's (role assignments). */
  vault?: string;
}

/** A ChangeSpec maker for one object type. */
export const changeOf = (objectType: ChangeObjectType) =>
  (type: ChangeEventType, name: string, data?: Partial<ChangeEventData>, vault?: string): ChangeSpec => ({ type, objectType, name, data, vault });

const epochSeconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

/** A version's change data: Event Grid sends NBF and EXP as seconds since the epoch. */
export const versionData = (version: string, attributes: { nbf?: string; exp?: string }): Partial<ChangeEventData> => ({
  Version: version, NBF: epochSeconds(attributes.nbf), EXP: epochSeconds(attributes.exp),
});
