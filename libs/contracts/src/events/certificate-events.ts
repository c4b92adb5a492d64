import { CertificateContact } from '../certificates/certificate-wire';
import { CertificatePolicy } from '../certificates/certificate-policy';
import { KeyFamily } from '../keys/key-algorithms';
import { PublicKeyMaterial } from '../keys/key-crypto-messages';
import { ExpiryNotice } from '../lifecycle/expiry-notices';
import { EventEnvelope } from './event-envelope';
import { KeyVersionRecord } from './key-events';
import { SecretVersionRecord } from './secret-events';

/**
 * Certificate events (subject `coffer.events.<vault>.certificate.<name>`), issuer events
 * (`….issuer.<name>`) and contacts events (`….certificatecontacts`). State-carrying: a version's
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

/** An internal CA: its HSM key (public half + id), its certificate and chain. */
export interface IssuerRecord {
  name: string;
  parent?: string;
  hsmKeyId: string;
  kty: KeyFamily;
  publicKey: PublicKeyMaterial;
  /** base64 DER */
  cer: string;
  chain: string[];
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  created: string;
}

export interface RevocationRecord {
  serialNumber: string;
  revocationDate: string;
  reason: string;
}

export type IssuerCreated = EventEnvelope<'IssuerCreated', IssuerRecord>;
/** `crlNumber`: the issuer's CRL number after this revocation (monotonic per issuer). */
export type CertificateRevoked = EventEnvelope<'CertificateRevoked', { issuer: string; crlNumber: number } & RevocationRecord>;
export type IssuerEvent = IssuerCreated | CertificateRevoked;

export type CertificateContactsSet = EventEnvelope<'CertificateContactsSet', { contacts: CertificateContact[]; updated: string }>;
export type CertificateContactsDeleted = EventEnvelope<'CertificateContactsDeleted', { deleted: string }>;
export type ContactsEvent = CertificateContactsSet | CertificateContactsDeleted;
