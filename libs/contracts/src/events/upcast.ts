import { PrincipalEvent, RoleAssignmentEvent } from '../auth/principal-events';
import { EventEnvelope } from './event-envelope';
import { CertificateEvent, ContactsEvent, IssuerEvent } from './certificate-events';
import { KeyEvent } from './key-events';
import { SecretEvent } from './secret-events';
import { VaultEvent } from './vault-events';

export type DomainEvent =
  | VaultEvent | SecretEvent | KeyEvent | PrincipalEvent | RoleAssignmentEvent | CertificateEvent | IssuerEvent | ContactsEvent;
export type DomainEventType = DomainEvent['type'];

/** Current schema version of each event type. Bump it and add an upcaster when a shape changes. */
export const EVENT_VERSIONS: Record<DomainEventType, number> = {
  VaultCreated: 1,
  VaultUpdated: 1,
  SecretSet: 1,
  SecretAttributesUpdated: 1,
  SecretDeleted: 1,
  SecretRecovered: 1,
  SecretPurged: 1,
  SecretRestored: 1,
  SecretExpiryNotified: 1,
  KeyCreated: 1,
  KeyImported: 1,
  KeyRotated: 1,
  KeyAttributesUpdated: 1,
  KeyDeleted: 1,
  KeyRecovered: 1,
  KeyPurged: 1,
  KeyRotationPolicySet: 1,
  KeyRestored: 1,
  KeyExpiryNotified: 1,
  PrincipalCreated: 1,
  PrincipalDisabled: 1,
  PrincipalEnabled: 1,
  CredentialAdded: 1,
  CredentialRemoved: 1,
  RoleAssignmentCreated: 1,
  RoleAssignmentDeleted: 1,
  CertIssued: 1,
  CertificateImported: 1,
  CertificateOperationStarted: 1,
  CertificateMerged: 1,
  CertificateOperationCancelled: 1,
  CertificatePolicySet: 1,
  CertificateAttributesUpdated: 1,
  CertificateDeleted: 1,
  CertificateRecovered: 1,
  CertificatePurged: 1,
  CertificateRestored: 1,
  CertificateExpiryNotified: 1,
  IssuerCreated: 1,
  CertificateRevoked: 1,
  CertificateContactsSet: 1,
  CertificateContactsDeleted: 1,
};

type Upcaster = (data: unknown) => unknown;
/** `UPCASTERS[type][n]` turns version n data into version n + 1 data. */
const UPCASTERS: Partial<Record<DomainEventType, Record<number, Upcaster>>> = {};

export class UnknownEventError extends Error {
  constructor(readonly eventType: string, readonly eventVersion: number) {
    super(`Unknown event ${eventType} v${eventVersion}`);
  }
}

/** Brings any stored event to the current shape of its type. */
export function upcast(stored: EventEnvelope): DomainEvent {
  const type = stored.type as DomainEventType;
  const current = EVENT_VERSIONS[type];
  if (current === undefined || stored.version > current) throw new UnknownEventError(stored.type, stored.version);
  let data = stored.data;
  for (let v = stored.version; v < current; v++) {
    const step = UPCASTERS[type]?.[v];
    if (!step) throw new UnknownEventError(stored.type, v);
    data = step(data);
  }
  return { ...stored, version: current, data } as DomainEvent;
}
