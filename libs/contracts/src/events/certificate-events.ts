import { changeOf, ChangeSpec, versionData } from '../changes/change-spec';
import { CertificatePolicy } from '../certificates/certificate-policy';
import { ExpiryNotice } from '../lifecycle/expiry-notices';
import { EventCatalogue, EventEntry, EventMaterial } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { KeyVersionRecord, keyVersionRecordProblem } from './key-events';
import { SecretVersionRecord, secretVersionRecordProblem } from './secret-events';
import {
  EventData, expiryNoticeProblem, firstProblem, isAttributes, isBool, isObj, isStr, isStrings, needStrings, needVersions, optObj, unless,
} from './shape-checks';

/**
 * Certificate events (subject `coffer.events.<vault>.certificate.<name>`). State-carrying: a version's
 * event carries the certificate and the records of its key (public half and HSM id only) and secret
 * (ciphertext only), so the projection writes all three at once and nothing is half written.
 * Private key material never appears here.
 */
export interface CertificateVersionAttributes {
  enabled: boolean;
  /** notBefore / notAfter of the certificate. */
  nbf: string;
  exp: string;
}

export interface CertificateVersionRecord {
  version: string;
  /** base64 DER */
  cer: string;
  x5t: string;
  serialNumber: string;
  subject: string;
  issuer: string;
  /** base64 DER of the issuing chain, nearest issuer first (none for self-signed). */
  chain: string[];
  attributes: CertificateVersionAttributes;
  tags?: Record<string, string>;
  created: string;
  updated: string;
}

/** What a new version writes besides the certificate: its key version and its secret version. */
export interface CertificateVersionParts {
  certificate: CertificateVersionRecord;
  key: KeyVersionRecord;
  secret: SecretVersionRecord;
}

/** A pending operation (issuer Unknown): the HSM key exists, the CSR waits for an external CA. */
export interface PendingCertificateRecord {
  version: string;
  issuerName: string;
  /** base64 DER PKCS#10 */
  csr: string;
  key: KeyVersionRecord;
  requestId: string;
  created: string;
}

export type CertIssued = EventEnvelope<'CertIssued', { name: string; policy: CertificatePolicy; issuerName: string } & CertificateVersionParts>;
export type CertificateImported = EventEnvelope<'CertificateImported', { name: string; policy: CertificatePolicy } & CertificateVersionParts>;
export type CertificateOperationStarted = EventEnvelope<'CertificateOperationStarted', { name: string; policy: CertificatePolicy; pending: PendingCertificateRecord }>;
/** The signed chain an external CA returned for the pending operation: its key is the pending one. */
export type CertificateMerged = EventEnvelope<'CertificateMerged', { name: string } & CertificateVersionParts>;
/** `destroyedHsmKeys`: the pending key, destroyed right after this event is recorded. */
export type CertificateOperationCancelled = EventEnvelope<
  'CertificateOperationCancelled',
  { name: string; cancelled: string; deleted: boolean; destroyedHsmKeys: string[] }
>;
export type CertificatePolicySet = EventEnvelope<'CertificatePolicySet', { name: string; policy: CertificatePolicy; updated: string }>;
export type CertificateAttributesUpdated = EventEnvelope<
  'CertificateAttributesUpdated',
  { name: string; version: string; attributes: CertificateVersionAttributes; tags?: Record<string, string>; updated: string }
>;
export type CertificateDeleted = EventEnvelope<
  'CertificateDeleted',
  { name: string; deletedDate: string; scheduledPurgeDate: string; recoveryId: string }
>;
export type CertificateRecovered = EventEnvelope<'CertificateRecovered', { name: string; recovered: string }>;
/** Purge takes the key and secret with it: HSM objects destroyed and data keys shredded right after. */
export type CertificatePurged = EventEnvelope<
  'CertificatePurged',
  { name: string; purged: string; destroyedHsmKeys: string[]; shreddedKeys: number[] }
>;
export type CertificateRestored = EventEnvelope<
  'CertificateRestored',
  { name: string; restored: string; policy: CertificatePolicy; versions: CertificateVersionParts[] }
>;
/**
 * A policy's EmailContacts action fell due for a version (kind NearExpiry): recorded once per version
 * and exp, addressed to the vault's contact emails at that time (possibly none). No mail is sent:
 * the change feed publishes it as CertificateNearExpiry.
 */
export type CertificateExpiryNotified = EventEnvelope<'CertificateExpiryNotified', { name: string; contacts: string[] } & ExpiryNotice>;

export type CertificateEvent =
  | CertIssued
  | CertificateImported
  | CertificateOperationStarted
  | CertificateMerged
  | CertificateOperationCancelled
  | CertificatePolicySet
  | CertificateAttributesUpdated
  | CertificateDeleted
  | CertificateRecovered
  | CertificatePurged
  | CertificateRestored
  | CertificateExpiryNotified;

export const CERTIFICATE_VERSION_ADDED_TYPES = ['CertIssued', 'CertificateImported', 'CertificateMerged'] as const;

function certificateRecordProblem(r: unknown): string | undefined {
  if (!isObj(r)) return 'certificate must be an object';
  if (![r.version, r.cer, r.x5t, r.serialNumber, r.subject, r.issuer, r.created, r.updated].every(isStr)) return 'certificate fields must be strings';
  if (!isStrings(r.chain)) return 'certificate.chain must be an array of strings';
  const a = r.attributes;
  if (!isObj(a) || !isBool(a.enabled) || !isStr(a.nbf) || !isStr(a.exp)) return 'certificate.attributes are malformed';
  return unless(optObj(r.tags), 'certificate.tags are malformed');
}

const partsProblem = (d: EventData): string | undefined =>
  certificateRecordProblem(d.certificate) || keyVersionRecordProblem(d.key) || secretVersionRecordProblem(d.secret);
const policyProblem = (p: unknown) => unless(isObj(p) && isObj(p.key_props) && isObj(p.x509_props) && isObj(p.issuer), 'policy is malformed');
/** The change-feed types of certificate events (see CHANGE_EVENT_TYPES). */
export const CERTIFICATE_CHANGE_TYPES = [
  'CertificateNewVersionCreated', 'CertificateNearExpiry', 'CertificateExpired', 'CertificateUpdated', 'CertificateDeleted', 'CertificateRecovered', 'CertificatePurged', 'CertificateRestored', 'CertificatePolicyChanged', 'CertificateOperationStarted', 'CertificateOperationCompleted', 'CertificateOperationCancelled',
] as const;
const change = changeOf<(typeof CERTIFICATE_CHANGE_TYPES)[number]>('Certificate');

/** A new version; issuance and merge also end an operation (synchronous for Self and Coffer issuers), an import starts none. */
function versionAdded(endsOperation: boolean) {
  return ({ data: d }: { data: { name: string } & CertificateVersionParts }): ChangeSpec[] => {
    const created = change('CertificateNewVersionCreated', d.name, versionData(d.certificate.version, d.certificate.attributes));
    return endsOperation ? [created, change('CertificateOperationCompleted', d.name)] : [created];
  };
}
/** A new version's HSM key and the data key of its secret. */
const partsMaterial = ({ data: d }: { data: CertificateVersionParts }): EventMaterial => ({ hsmKeyIds: [d.key.hsmKeyId], deks: [d.secret.value.dek] });
const issued: EventEntry<CertIssued | CertificateImported> = {
  version: 1, shape: (d) => needStrings(d, ['name']) || policyProblem(d.policy) || partsProblem(d), changes: versionAdded(true), material: partsMaterial,
};

/** Certificate events (subject `coffer.events.<vault>.certificate.<name>`): schema, shape check, change feed. */
export const CERTIFICATE_EVENTS: EventCatalogue<CertificateEvent> = {
  CertIssued: issued,
  CertificateImported: { ...issued, changes: versionAdded(false) },
  CertificateMerged: { version: 1, shape: (d) => needStrings(d, ['name']) || partsProblem(d), changes: versionAdded(true), material: partsMaterial },
  CertificateOperationStarted: {
    version: 1,
    shape: (d) => {
      const p = d.pending;
      if (!isObj(p) || ![p.version, p.issuerName, p.csr, p.requestId, p.created].every(isStr)) return 'pending is malformed';
      return needStrings(d, ['name']) || policyProblem(d.policy) || keyVersionRecordProblem(p.key);
    },
    changes: (e) => [change('CertificateOperationStarted', e.data.name)],
    material: ({ data: d }) => ({ hsmKeyIds: [d.pending.key.hsmKeyId], deks: [] }),
  },
  CertificateOperationCancelled: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'cancelled']) || unless(isStrings(d.destroyedHsmKeys), 'destroyedHsmKeys must be strings'),
    changes: (e) => [change('CertificateOperationCancelled', e.data.name)],
  },
  CertificatePolicySet: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'updated']) || policyProblem(d.policy),
    changes: (e) => [change('CertificatePolicyChanged', e.data.name)],
  },
  CertificateAttributesUpdated: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'version', 'updated']) || unless(isAttributes(d.attributes), 'attributes are malformed'),
    changes: ({ data: d }) => [change('CertificateUpdated', d.name, versionData(d.version, d.attributes))],
  },
  CertificateDeleted: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId']),
    changes: (e) => [change('CertificateDeleted', e.data.name)],
  },
  CertificateRecovered: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'recovered']),
    changes: (e) => [change('CertificateRecovered', e.data.name)],
  },
  CertificatePurged: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'purged']) || unless(isStrings(d.destroyedHsmKeys) && Array.isArray(d.shreddedKeys) && d.shreddedKeys.every(Number.isInteger),
      'destroyedHsmKeys and shreddedKeys are malformed'),
    changes: (e) => [change('CertificatePurged', e.data.name)],
    purges: ({ data: d }) => ({ hsmKeyIds: d.destroyedHsmKeys, deks: d.shreddedKeys }),
  },
  CertificateRestored: {
    version: 1,
    shape: (d) => needVersions(d) || needStrings(d, ['name', 'restored']) || policyProblem(d.policy)
      || firstProblem(d.versions, (v) => (isObj(v) ? partsProblem(v) : 'version must be an object')),
    changes: (e) => [change('CertificateRestored', e.data.name)],
    material: ({ data: d }) => ({ hsmKeyIds: d.versions.map((v) => v.key.hsmKeyId), deks: d.versions.map((v) => v.secret.value.dek) }),
  },
  CertificateExpiryNotified: {
    version: 1,
    shape: (d) => expiryNoticeProblem(d, ['NearExpiry']) || unless(isStrings(d.contacts), 'contacts must be an array of strings'),
    changes: ({ data: d }) => [change('CertificateNearExpiry', d.name, { ...versionData(d.version, d), Contacts: d.contacts })],
  },
};
