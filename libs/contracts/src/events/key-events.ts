import { Curve, KeyOp, KeyType } from '../keys/key-algorithms';
import { PublicKeyMaterial } from '../keys/key-crypto-messages';
import { LifetimeAction } from '../keys/key-wire';
import { EventEnvelope } from './event-envelope';
import { ExpiryNotice } from '../lifecycle/expiry-notices';

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
