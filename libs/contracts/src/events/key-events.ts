import { Curve, KeyOp, KeyType } from '../keys/key-algorithms';
import { PublicKeyMaterial } from '../keys/key-crypto-messages';
import { LifetimeAction } from '../keys/key-wire';
import { changeOf, versionData } from '../changes/change-spec';
import { EventCatalogue, EventEntry } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { ExpiryNotice } from '../lifecycle/expiry-notices';
import {
  EventData, expiryNoticeProblem, firstProblem, isAttributes, isObj, isStr, isStrings, need, needVersions, optObj, optStr, unless,
} from './shape-checks';

/** Attributes of one key version, as stored (ISO 8601 times). */
export interface KeyVersionAttributes {
  enabled: boolean;
  nbf?: string;
  exp?: string;
}

/**
 * Everything about one key version except its private or secret material, which never leaves the
 * HSM: state-carrying, so projections and deciders need no lookups. `hsmKeyId` names the version's
 * HSM objects (`<vault>/<name>/<32 hex>`; the last part is the version for generated and imported
 * keys, a fresh id for restored ones, so a restore can never collide with objects still in the HSM).
 */
export interface KeyVersionRecord {
  version: string;
  hsmKeyId: string;
  kty: KeyType;
  /** RSA modulus bits or oct bits; absent for EC (the curve says it). */
  keySize?: number;
  crv?: Curve;
  keyOps: KeyOp[];
  /** The public half as JWK members (RSA n/e, EC crv/x/y); `{kty:'oct'}` for symmetric keys. */
  publicKey: PublicKeyMaterial;
  attributes: KeyVersionAttributes;
  tags?: Record<string, string>;
  created: string;
  updated: string;
}

/** A key's rotation policy as stored: what the scheduler executes. */
export interface KeyRotationPolicyRecord {
  lifetimeActions: LifetimeAction[];
  /** ISO 8601 duration: new versions made by rotation expire this long after they are created. */
  expiryTime?: string;
  created: string;
  updated: string;
}

export type KeyCreated = EventEnvelope<'KeyCreated', { name: string } & KeyVersionRecord>;
export type KeyImported = EventEnvelope<'KeyImported', { name: string } & KeyVersionRecord>;
/** A new version generated with the current version's type, size/curve, key_ops and tags. */
export type KeyRotated = EventEnvelope<'KeyRotated', { name: string } & KeyVersionRecord>;
export type KeyAttributesUpdated = EventEnvelope<
  'KeyAttributesUpdated',
  { name: string; version: string; keyOps: KeyOp[]; attributes: KeyVersionAttributes; tags?: Record<string, string>; updated: string }
>;
export type KeyDeleted = EventEnvelope<
  'KeyDeleted',
  { name: string; deletedDate: string; scheduledPurgeDate: string; recoveryId: string }
>;
export type KeyRecovered = EventEnvelope<'KeyRecovered', { name: string; recovered: string }>;
/** `destroyedHsmKeys`: the HSM objects of every version, destroyed right after this event is recorded. */
export type KeyPurged = EventEnvelope<'KeyPurged', { name: string; purged: string; destroyedHsmKeys: string[] }>;
export type KeyRotationPolicySet = EventEnvelope<'KeyRotationPolicySet', { name: string } & KeyRotationPolicyRecord>;
export type KeyRestored = EventEnvelope<
  'KeyRestored',
  { name: string; restored: string; versions: KeyVersionRecord[]; rotationPolicy?: KeyRotationPolicyRecord }
>;

/** The scheduler noticed that the version's expiry is near or past (published as KeyNearExpiry / KeyExpired). */
export type KeyExpiryNotified = EventEnvelope<'KeyExpiryNotified', { name: string } & ExpiryNotice>;

export type KeyEvent =
  | KeyCreated
  | KeyImported
  | KeyRotated
  | KeyAttributesUpdated
  | KeyDeleted
  | KeyRecovered
  | KeyPurged
  | KeyRotationPolicySet
  | KeyRestored
  | KeyExpiryNotified;

/** The events that add one version (and carry its whole record). */
export type KeyVersionAdded = KeyCreated | KeyImported | KeyRotated;
export const KEY_VERSION_ADDED_TYPES: readonly KeyVersionAdded['type'][] = ['KeyCreated', 'KeyImported', 'KeyRotated'];

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** What is wrong with a KeyVersionRecord read from the log (also a certificate version's key). */
export function keyVersionRecordProblem(r: unknown): string | undefined {
  if (!isObj(r)) return 'version record must be an object';
  if (![r.version, r.hsmKeyId, r.kty, r.created, r.updated].every(isStr)) return 'version, hsmKeyId, kty, created and updated must be strings';
  if (!isStrings(r.keyOps)) return 'keyOps must be an array of strings';
  const pk = r.publicKey;
  if (!isObj(pk) || !isStr(pk.kty)) return 'publicKey must be a public JWK';
  // Defence in depth for invariant 1: private or secret members never enter the read model.
  if (PRIVATE_JWK_MEMBERS.some((m) => m in pk)) return 'publicKey must not carry private members';
  if (!isAttributes(r.attributes)) return 'attributes are malformed';
  if (!optObj(r.tags) || !(r.keySize === undefined || Number.isInteger(r.keySize)) || !optStr(r.crv)) return 'tags, keySize or crv are malformed';
  return undefined;
}

function rotationPolicyProblem(p: EventData): string | undefined {
  if (!Array.isArray(p.lifetimeActions) || !p.lifetimeActions.every((a) => isObj(a) && isObj(a.trigger) && isObj(a.action))) return 'lifetimeActions are malformed';
  return unless(isStr(p.created) && isStr(p.updated) && optStr(p.expiryTime), 'created, updated and expiryTime must be strings');
}

/** The change-feed types of key events (see CHANGE_EVENT_TYPES). */
export const KEY_CHANGE_TYPES = [
  'KeyNewVersionCreated', 'KeyNearExpiry', 'KeyExpired', 'KeyUpdated', 'KeyDeleted', 'KeyRecovered', 'KeyPurged', 'KeyRestored', 'KeyRotationPolicyChanged',
] as const;
const change = changeOf<(typeof KEY_CHANGE_TYPES)[number]>('Key');
const versionAdded: EventEntry<KeyVersionAdded> = {
  version: 1,
  shape: (d) => need(d, ['name']) || keyVersionRecordProblem(d),
  changes: ({ data: d }) => [change('KeyNewVersionCreated', d.name, versionData(d.version, d.attributes))],
  material: ({ data: d }) => ({ hsmKeyIds: [d.hsmKeyId], deks: [] }),
};

/** Key events (subject `coffer.events.<vault>.key.<name>`): schema, shape check, change feed. */
export const KEY_EVENTS: EventCatalogue<KeyEvent> = {
  KeyCreated: versionAdded,
  KeyImported: versionAdded,
  KeyRotated: versionAdded,
  KeyAttributesUpdated: {
    version: 1,
    shape: (d) => need(d, ['name', 'version', 'updated']) || unless(isStrings(d.keyOps), 'keyOps must be an array of strings')
      || unless(isAttributes(d.attributes), 'attributes are malformed') || unless(optObj(d.tags), 'tags are malformed'),
    changes: ({ data: d }) => [change('KeyUpdated', d.name, versionData(d.version, d.attributes))],
  },
  KeyDeleted: {
    version: 1,
    shape: (d) => need(d, ['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId']),
    changes: (e) => [change('KeyDeleted', e.data.name)],
  },
  KeyRecovered: { version: 1, shape: (d) => need(d, ['name', 'recovered']), changes: (e) => [change('KeyRecovered', e.data.name)] },
  KeyPurged: {
    version: 1,
    shape: (d) => need(d, ['name', 'purged']) || unless(isStrings(d.destroyedHsmKeys), 'destroyedHsmKeys must be an array of strings'),
    changes: (e) => [change('KeyPurged', e.data.name)],
    purges: ({ data: d }) => ({ hsmKeyIds: d.destroyedHsmKeys, deks: [] }),
  },
  KeyRotationPolicySet: {
    version: 1,
    shape: (d) => need(d, ['name']) || rotationPolicyProblem(d),
    changes: (e) => [change('KeyRotationPolicyChanged', e.data.name)],
  },
  KeyRestored: {
    version: 1,
    shape: (d) => needVersions(d) || need(d, ['name', 'restored']) || firstProblem(d.versions, keyVersionRecordProblem)
      || (d.rotationPolicy === undefined ? undefined : isObj(d.rotationPolicy) ? rotationPolicyProblem(d.rotationPolicy) : 'rotationPolicy must be an object'),
    changes: (e) => [change('KeyRestored', e.data.name)],
    material: ({ data: d }) => ({ hsmKeyIds: d.versions.map((v) => v.hsmKeyId), deks: [] }),
  },
  KeyExpiryNotified: {
    version: 1,
    shape: (d) => expiryNoticeProblem(d, ['NearExpiry', 'Expired']),
    changes: ({ data: d }) => [change(d.kind === 'Expired' ? 'KeyExpired' : 'KeyNearExpiry', d.name, versionData(d.version, d))],
  },
};
