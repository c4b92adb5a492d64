import {
  CHANGE_TYPE_PREFIX, ChangeEvent, ChangeEventData, ChangeEventType, ChangeObjectType, DomainEvent, parseScope, SYSTEM_SCOPE,
} from '@coffer/contracts';

/** Where an event sits in the log: its subject (`coffer.events.<vault>.<kind>.<name>`) and sequence. */
export interface LoggedEvent {
  subject: string;
  sequence: number;
  event: DomainEvent;
}

const epochSeconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));
const PATHS: Record<ChangeObjectType, string> = { Vault: '', Secret: 'secrets', Key: 'keys', Certificate: 'certificates', RoleAssignment: 'roleassignments' };

/**
 * The public change events one logged domain event stands for (none for identity events, which are
 * not about a vault's objects). Pure: the feed is computed from the log on every read, so a replay
 * from any cursor yields the same events, with the same ids, in the same order.
 */
export function toChangeEvents({ subject, sequence, event }: LoggedEvent): ChangeEvent[] {
  const vault = subject.split('.')[2] ?? '';
  const make = (type: ChangeEventType, objectType: ChangeObjectType, name: string, extra: Partial<ChangeEventData> = {}, index = 0, source = vault) => {
    const path = objectType === 'Vault' ? '' : `/${PATHS[objectType]}/${name}${extra.Version ? `/${extra.Version}` : ''}`;
    const id = `coffer://${source}${path}`;
    const change: ChangeEvent = {
      specversion: '1.0',
      id: index === 0 ? String(sequence) : `${sequence}.${index}`,
      source: `coffer://${source}`,
      type: `${CHANGE_TYPE_PREFIX}${type}`,
      subject: id,
      time: event.metadata.occurredAt,
      datacontenttype: 'application/json',
      cofferseq: sequence,
      data: { Id: id, VaultName: source, ObjectType: objectType, ObjectName: name, ...withoutUndefined(extra) },
    };
    return change;
  };
  const versioned = (version: string, attributes: { nbf?: string; exp?: string }) => ({
    Version: version, NBF: epochSeconds(attributes.nbf), EXP: epochSeconds(attributes.exp),
  });

  switch (event.type) {
    case 'VaultCreated':
      return [make('VaultCreated', 'Vault', event.data.name)];
    case 'VaultUpdated':
      return [make('VaultUpdated', 'Vault', event.data.name)];
    case 'SecretSet':
      return [make('SecretNewVersionCreated', 'Secret', event.data.name, versioned(event.data.version, event.data.attributes))];
    case 'SecretAttributesUpdated':
      return [make('SecretUpdated', 'Secret', event.data.name, versioned(event.data.version, event.data.attributes))];
    case 'SecretDeleted':
      return [make('SecretDeleted', 'Secret', event.data.name)];
    case 'SecretRecovered':
      return [make('SecretRecovered', 'Secret', event.data.name)];
    case 'SecretPurged':
      return [make('SecretPurged', 'Secret', event.data.name)];
    case 'SecretRestored':
      return [make('SecretRestored', 'Secret', event.data.name)];
    case 'KeyCreated':
    case 'KeyImported':
    case 'KeyRotated':
      return [make('KeyNewVersionCreated', 'Key', event.data.name, versioned(event.data.version, event.data.attributes))];
    case 'KeyAttributesUpdated':
      return [make('KeyUpdated', 'Key', event.data.name, versioned(event.data.version, event.data.attributes))];
    case 'KeyDeleted':
      return [make('KeyDeleted', 'Key', event.data.name)];
    case 'KeyRecovered':
      return [make('KeyRecovered', 'Key', event.data.name)];
    case 'KeyPurged':
      return [make('KeyPurged', 'Key', event.data.name)];
    case 'KeyRestored':
      return [make('KeyRestored', 'Key', event.data.name)];
    case 'KeyRotationPolicySet':
      return [make('KeyRotationPolicyChanged', 'Key', event.data.name)];
    case 'SecretExpiryNotified':
      return [make(event.data.kind === 'Expired' ? 'SecretExpired' : 'SecretNearExpiry', 'Secret', event.data.name, versioned(event.data.version, event.data))];
    case 'KeyExpiryNotified':
      return [make(event.data.kind === 'Expired' ? 'KeyExpired' : 'KeyNearExpiry', 'Key', event.data.name, versioned(event.data.version, event.data))];
    case 'CertIssued':
    case 'CertificateImported':
    case 'CertificateMerged': {
      const created = make('CertificateNewVersionCreated', 'Certificate', event.data.name, versioned(event.data.certificate.version, event.data.certificate.attributes));
      // Issuance and merge end an operation (synchronous for Self and Coffer issuers); an import starts none.
      return event.type === 'CertificateImported' ? [created] : [created, make('CertificateOperationCompleted', 'Certificate', event.data.name, {}, 1)];
    }
    case 'CertificateExpiryNotified':
      return [make('CertificateNearExpiry', 'Certificate', event.data.name, { ...versioned(event.data.version, event.data), Contacts: event.data.contacts })];
    case 'CertificateOperationStarted':
      return [make('CertificateOperationStarted', 'Certificate', event.data.name)];
    case 'CertificateOperationCancelled':
      return [make('CertificateOperationCancelled', 'Certificate', event.data.name)];
    case 'CertificatePolicySet':
      return [make('CertificatePolicyChanged', 'Certificate', event.data.name)];
    case 'CertificateAttributesUpdated':
      return [make('CertificateUpdated', 'Certificate', event.data.name, versioned(event.data.version, event.data.attributes))];
    case 'CertificateDeleted':
      return [make('CertificateDeleted', 'Certificate', event.data.name)];
    case 'CertificateRecovered':
      return [make('CertificateRecovered', 'Certificate', event.data.name)];
    case 'CertificatePurged':
      return [make('CertificatePurged', 'Certificate', event.data.name)];
    case 'CertificateRestored':
      return [make('CertificateRestored', 'Certificate', event.data.name)];
    // Issuers and contacts are vault-level certificate settings: their ids sit under /certificates/.
    case 'IssuerCreated':
      return [make('CertificateIssuerCreated', 'Certificate', `issuers/${event.data.name}`)];
    case 'CertificateRevoked':
      return [make('CertificateRevoked', 'Certificate', `issuers/${event.data.issuer}`)];
    case 'CertificateContactsSet':
    case 'CertificateContactsDeleted':
      return [make('CertificateContactsChanged', 'Certificate', 'contacts')];
    case 'RoleAssignmentCreated':
    case 'RoleAssignmentDeleted': {
      // Role assignments live under _system; the change names the vault its scope is in (none for the root).
      const scope = event.data.scope === undefined ? undefined : parseScope(event.data.scope);
      const source = scope && scope.level !== 'all' ? scope.vault : SYSTEM_SCOPE;
      const type = event.type === 'RoleAssignmentCreated' ? 'RoleAssignmentCreated' : 'RoleAssignmentDeleted';
      return [
        make(type, 'RoleAssignment', event.data.id, {}, 0, source),
        make('VaultAccessPolicyChanged', 'Vault', source, {}, 1, source),
      ];
    }
    case 'PrincipalCreated':
    case 'PrincipalDisabled':
    case 'PrincipalEnabled':
    case 'CredentialAdded':
    case 'CredentialRemoved':
      return [];
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
