import { EncryptedValue } from './encrypted-value';
import { EventEnvelope } from './event-envelope';
import { ExpiryNotice } from '../lifecycle/expiry-notices';

/** Attributes of one version, as stored (ISO 8601 times). */
export interface SecretVersionAttributes {
  enabled: boolean;
  nbf?: string;
  exp?: string;
}

/** Everything about one version except who reads it: state-carrying, so projections need no lookups. */
export interface SecretVersionRecord {
  version: string;
  value: EncryptedValue;
  attributes: SecretVersionAttributes;
  contentType?: string;
  tags?: Record<string, string>;
  created: string;
  updated: string;
}

export type SecretSet = EventEnvelope<'SecretSet', { name: string } & SecretVersionRecord>;
export type SecretAttributesUpdated = EventEnvelope<
  'SecretAttributesUpdated',
  { name: string; version: string; attributes: SecretVersionAttributes; contentType?: string; tags?: Record<string, string>; updated: string }
>;
export type SecretDeleted = EventEnvelope<
  'SecretDeleted',
  { name: string; deletedDate: string; scheduledPurgeDate: string; recoveryId: string }
>;
export type SecretRecovered = EventEnvelope<'SecretRecovered', { name: string; recovered: string }>;
/** `shreddedKeys`: keyring sequences of the data keys erased by the purge. */
export type SecretPurged = EventEnvelope<'SecretPurged', { name: string; purged: string; shreddedKeys: number[] }>;
export type SecretRestored = EventEnvelope<
  'SecretRestored',
  { name: string; restored: string; versions: SecretVersionRecord[] }
>;

/** The scheduler noticed that the version's expiry is near or past (published as SecretNearExpiry / SecretExpired). */
export type SecretExpiryNotified = EventEnvelope<'SecretExpiryNotified', { name: string } & ExpiryNotice>;

export type SecretEvent =
  | SecretSet
  | SecretAttributesUpdated
  | SecretDeleted
  | SecretRecovered
  | SecretPurged
  | SecretRestored
  | SecretExpiryNotified;
