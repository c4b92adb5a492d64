/** What a change says besides its object (ChangeEventData's optional part): no values, no key material. */
export interface ChangeDetails {
  Version?: string;
  /** Seconds since the epoch, as Event Grid sends them. */
  NBF?: number;
  EXP?: number;
  /** CertificateNearExpiry only: the contact emails the notice is addressed to (the vault's contacts then). */
  Contacts?: string[];
}

/**
 * One public change a logged event stands for, before it gets its place in the feed (id, time,
 * source and object id are added by toChangeEvents from the event's subject and sequence).
 */
export interface ChangeSpec<C extends string = string> {
  /** One of its kind's change types (all of them: CHANGE_EVENT_TYPES). */
  type: C;
  /** One of the kinds' `change.objectType` (CHANGE_OBJECT_TYPES). */
  objectType: string;
  /** The object's name (a Vault change: the vault's). */
  name: string;
  /** Version, NBF, EXP, Contacts where the change has them. */
  data?: ChangeDetails;
  /** The vault the change is attributed to when it is not the event subject's (role assignments). */
  vault?: string;
}

/** A ChangeSpec maker for one object type and the change types `C` its kind declares. */
export const changeOf = <C extends string>(objectType: string) =>
  (type: C, name: string, data?: ChangeDetails, vault?: string): ChangeSpec<C> => ({ type, objectType, name, data, vault });

const epochSeconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

/** A version's change data: Event Grid sends NBF and EXP as seconds since the epoch. */
export const versionData = (version: string, attributes: { nbf?: string; exp?: string }): ChangeDetails => ({
  Version: version, NBF: epochSeconds(attributes.nbf), EXP: epochSeconds(attributes.exp),
});
