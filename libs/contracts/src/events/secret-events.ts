import { changeOf, versionData } from '../changes/change-spec';
import { EncryptedValue } from './encrypted-value';
import { EventCatalogue } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { ExpiryNotice } from '../lifecycle/expiry-notices';
import { expiryNoticeProblem, firstProblem, isBool, isObj, isStr, need, needVersions, optObj, optStr } from './shape-checks';

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

/** What is wrong with a SecretVersionRecord read from the log (also a certificate version's secret). */
export function secretVersionRecordProblem(r: unknown): string | undefined {
  if (!isObj(r)) return 'version record must be an object';
  const v = r.value, a = r.attributes;
  if (!isStr(r.version) || !isStr(r.created) || !isStr(r.updated)) return 'version, created and updated must be strings';
  if (!isObj(v) || !Number.isInteger(v.dek) || !isStr(v.iv) || !isStr(v.ct)) return 'value must be an EncryptedValue';
  if (!isObj(a) || !isBool(a.enabled) || !optStr(a.nbf) || !optStr(a.exp)) return 'attributes are malformed';
  if (!optStr(r.contentType) || !optObj(r.tags)) return 'contentType or tags are malformed';
  return undefined;
}

/** The change-feed types of secret events (see CHANGE_EVENT_TYPES). */
export const SECRET_CHANGE_TYPES = [
  'SecretNewVersionCreated', 'SecretNearExpiry', 'SecretExpired', 'SecretUpdated', 'SecretDeleted', 'SecretRecovered', 'SecretPurged', 'SecretRestored',
] as const;
const change = changeOf<(typeof SECRET_CHANGE_TYPES)[number]>('Secret');

/** Secret events (subject `coffer.events.<vault>.secret.<name>`): schema, shape check, change feed. */
export const SECRET_EVENTS: EventCatalogue<SecretEvent> = {
  SecretSet: {
    version: 1,
    shape: (d) => need(d, ['name']) || secretVersionRecordProblem(d),
    changes: ({ data: d }) => [change('SecretNewVersionCreated', d.name, versionData(d.version, d.attributes))],
    material: ({ data: d }) => ({ hsmKeyIds: [], deks: [d.value.dek] }),
  },
  SecretAttributesUpdated: {
    version: 1,
    shape: (d) => need(d, ['name', 'version', 'updated'])
      || secretVersionRecordProblem({ ...d, created: d.updated, value: { dek: 0, iv: '', ct: '' } }),
    changes: ({ data: d }) => [change('SecretUpdated', d.name, versionData(d.version, d.attributes))],
  },
  SecretDeleted: {
    version: 1,
    shape: (d) => need(d, ['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId']),
    changes: (e) => [change('SecretDeleted', e.data.name)],
  },
  SecretRecovered: { version: 1, shape: (d) => need(d, ['name', 'recovered']), changes: (e) => [change('SecretRecovered', e.data.name)] },
  SecretPurged: {
    version: 1,
    shape: (d) => need(d, ['name', 'purged']) || need(d, ['shreddedKeys'], Array.isArray, 'an array'),
    changes: (e) => [change('SecretPurged', e.data.name)],
    purges: ({ data: d }) => ({ deks: d.shreddedKeys }),
  },
  SecretRestored: {
    version: 1,
    shape: (d) => needVersions(d) || need(d, ['name', 'restored']) || firstProblem(d.versions, secretVersionRecordProblem),
    changes: (e) => [change('SecretRestored', e.data.name)],
    material: ({ data: d }) => ({ hsmKeyIds: [], deks: d.versions.map((v) => v.value.dek) }),
  },
  SecretExpiryNotified: {
    version: 1,
    shape: (d) => expiryNoticeProblem(d, ['NearExpiry', 'Expired']),
    changes: ({ data: d }) => [change(d.kind === 'Expired' ? 'SecretExpired' : 'SecretNearExpiry', d.name, versionData(d.version, d))],
  },
};
