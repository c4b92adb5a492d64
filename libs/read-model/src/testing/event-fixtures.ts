import { randomBytes, randomUUID } from 'node:crypto';
import {
  CertificatePolicy, CertificateVersionAttributes, CertificateVersionParts, DomainEvent, EncryptedValue, EVENT_VERSIONS, ExpiryNoticeKind, KeyRotationPolicyRecord,
  KeyVersionRecord, SecretVersionAttributes, SecretVersionRecord, StoredCredential, Streams, SystemStreams,
} from '@coffer/contracts';

/** A hand-made event and the subject it is stored on (test fixtures only). */
export interface FixtureEvent {
  event: DomainEvent;
  subject: string;
}

let tick = Date.parse('2025-01-01T00:00:00.000Z');
/** Deterministically increasing ISO timestamps. */
export const nextTime = (): string => new Date((tick += 1000)).toISOString();

/** Looks like a real AES-256-GCM value (random iv/ct) but decrypts to nothing. */
export function fakeValue(dek: number): EncryptedValue {
  return { alg: 'A256GCM', dek, iv: randomBytes(12).toString('base64'), ct: randomBytes(48).toString('base64') };
}

/** The principal fixture events are requested by. */
export const FIXTURE_PRINCIPAL = 'p-fixture';

function envelope<E extends DomainEvent>(type: E['type'], data: E['data'], requestId: string = randomUUID()): E {
  const metadata = { requestId, occurredAt: nextTime(), principalId: FIXTURE_PRINCIPAL, requestHash: `hash-${requestId}` };
  return { type, version: EVENT_VERSIONS[type], data, metadata } as E;
}

export function vaultCreated(vault: string, o: { retentionDays?: number; purgeProtection?: boolean; requestId?: string } = {}): FixtureEvent {
  return {
    subject: Streams.events.vault(vault),
    event: envelope('VaultCreated', {
      name: vault, kekId: `kek-${vault}`, created: nextTime(), retentionDays: o.retentionDays ?? 90, purgeProtection: o.purgeProtection ?? false,
    }, o.requestId),
  };
}

export function vaultUpdated(vault: string, retentionDays: number, purgeProtection: boolean): FixtureEvent {
  return { subject: Streams.events.vault(vault), event: envelope('VaultUpdated', { name: vault, updated: nextTime(), retentionDays, purgeProtection }) };
}

export function versionRecord(version: string, dek: number, o: Partial<Omit<SecretVersionRecord, 'version' | 'value'>> = {}): SecretVersionRecord {
  const created = o.created ?? nextTime();
  return {
    version, value: fakeValue(dek), attributes: o.attributes ?? { enabled: true }, created, updated: o.updated ?? created,
    ...(o.contentType ? { contentType: o.contentType } : {}), ...(o.tags ? { tags: o.tags } : {}),
  };
}

export function secretSet(
  vault: string, name: string, version: string, dek: number,
  o: Partial<Omit<SecretVersionRecord, 'version' | 'value'>> & { requestId?: string } = {},
): FixtureEvent {
  return { subject: Streams.events.secret(vault, name), event: envelope('SecretSet', { name, ...versionRecord(version, dek, o) }, o.requestId) };
}

export function secretAttributesUpdated(
  vault: string, name: string, version: string, attributes: SecretVersionAttributes, o: { contentType?: string; tags?: Record<string, string> } = {},
): FixtureEvent {
  return {
    subject: Streams.events.secret(vault, name),
    event: envelope('SecretAttributesUpdated', { name, version, attributes, ...o, updated: nextTime() }),
  };
}

export function secretDeleted(vault: string, name: string): FixtureEvent {
  const deletedDate = nextTime();
  return {
    subject: Streams.events.secret(vault, name),
    event: envelope('SecretDeleted', { name, deletedDate, scheduledPurgeDate: new Date(Date.parse(deletedDate) + 90 * 86_400_000).toISOString(), recoveryId: `recovery-${name}` }),
  };
}

export function secretRecovered(vault: string, name: string): FixtureEvent {
  return { subject: Streams.events.secret(vault, name), event: envelope('SecretRecovered', { name, recovered: nextTime() }) };
}

export function secretPurged(vault: string, name: string, shreddedKeys: number[]): FixtureEvent {
  return { subject: Streams.events.secret(vault, name), event: envelope('SecretPurged', { name, purged: nextTime(), shreddedKeys }) };
}

export function secretRestored(vault: string, name: string, versions: SecretVersionRecord[]): FixtureEvent {
  return { subject: Streams.events.secret(vault, name), event: envelope('SecretRestored', { name, restored: nextTime(), versions }) };
}

/** Assigns consecutive stream sequences, as JetStream would. */
export function sequenced(events: FixtureEvent[], first = 1): { event: DomainEvent; subject: string; sequence: number }[] {
  return events.map((e, i) => ({ ...e, sequence: first + i }));
}

export function principalCreated(id: string, name: string, type: 'user' | 'servicePrincipal' = 'user'): FixtureEvent {
  return { subject: SystemStreams.principal(id), event: envelope('PrincipalCreated', { id, name, type, created: nextTime() }) };
}

export function principalDisabled(id: string): FixtureEvent {
  return { subject: SystemStreams.principal(id), event: envelope('PrincipalDisabled', { id, disabled: nextTime() }) };
}

export function principalEnabled(id: string): FixtureEvent {
  return { subject: SystemStreams.principal(id), event: envelope('PrincipalEnabled', { id, enabled: nextTime() }) };
}

export function credentialAdded(principalId: string, credential: StoredCredential): FixtureEvent {
  return { subject: SystemStreams.principal(principalId), event: envelope('CredentialAdded', { principalId, credential }) };
}

export function credentialRemoved(principalId: string, credentialId: string): FixtureEvent {
  return { subject: SystemStreams.principal(principalId), event: envelope('CredentialRemoved', { principalId, credentialId, revokedBefore: nextTime() }) };
}

export function credentialRehashed(principalId: string, credentialId: string, hash: string): FixtureEvent {
  return { subject: SystemStreams.principal(principalId), event: envelope('CredentialRehashed', { principalId, credentialId, hash, rehashed: nextTime() }) };
}

export function roleAssignmentCreated(id: string, principalId: string, role: string, scope: string): FixtureEvent {
  return { subject: SystemStreams.roleAssignment(id), event: envelope('RoleAssignmentCreated', { id, principalId, role, scope, created: nextTime() }) };
}

export function roleAssignmentDeleted(id: string): FixtureEvent {
  return { subject: SystemStreams.roleAssignment(id), event: envelope('RoleAssignmentDeleted', { id, deleted: nextTime() }) };
}

/** A key version record with a random-looking EC P-256 public half (no private material exists). */
export function keyVersionRecord(vault: string, name: string, version: string, o: Partial<KeyVersionRecord> = {}): KeyVersionRecord {
  const created = o.created ?? nextTime();
  return {
    version, hsmKeyId: `${vault}/${name}/${version}`, kty: 'EC-HSM', crv: 'P-256', keyOps: ['sign', 'verify'],
    publicKey: { kty: 'EC', crv: 'P-256', x: randomBytes(32).toString('base64url'), y: randomBytes(32).toString('base64url') },
    attributes: { enabled: true }, created, updated: created, ...o,
  };
}

export function keyVersionAdded(
  type: 'KeyCreated' | 'KeyImported' | 'KeyRotated', vault: string, name: string, version: string, o: Partial<KeyVersionRecord> & { requestId?: string } = {},
): FixtureEvent {
  const { requestId, ...record } = o;
  return { subject: Streams.events.key(vault, name), event: envelope(type, { name, ...keyVersionRecord(vault, name, version, record) }, requestId) };
}

export function keyAttributesUpdated(
  vault: string, name: string, version: string, o: { keyOps?: KeyVersionRecord['keyOps']; attributes?: KeyVersionRecord['attributes']; tags?: Record<string, string> } = {},
): FixtureEvent {
  return {
    subject: Streams.events.key(vault, name),
    event: envelope('KeyAttributesUpdated', {
      name, version, keyOps: o.keyOps ?? ['verify'], attributes: o.attributes ?? { enabled: false }, ...(o.tags && { tags: o.tags }), updated: nextTime(),
    }),
  };
}

export function keyDeleted(vault: string, name: string): FixtureEvent {
  const deletedDate = nextTime();
  return {
    subject: Streams.events.key(vault, name),
    event: envelope('KeyDeleted', { name, deletedDate, scheduledPurgeDate: new Date(Date.parse(deletedDate) + 90 * 86_400_000).toISOString(), recoveryId: `recovery-${name}` }),
  };
}

export function keyRecovered(vault: string, name: string): FixtureEvent {
  return { subject: Streams.events.key(vault, name), event: envelope('KeyRecovered', { name, recovered: nextTime() }) };
}

export function keyPurged(vault: string, name: string, destroyedHsmKeys: string[]): FixtureEvent {
  return { subject: Streams.events.key(vault, name), event: envelope('KeyPurged', { name, purged: nextTime(), destroyedHsmKeys }) };
}

export function keyRotationPolicy(o: Partial<KeyRotationPolicyRecord> = {}): KeyRotationPolicyRecord {
  const at = nextTime();
  return { lifetimeActions: [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } }], expiryTime: 'P1Y', created: at, updated: at, ...o };
}

export function keyRotationPolicySet(vault: string, name: string, policy: KeyRotationPolicyRecord = keyRotationPolicy()): FixtureEvent {
  return { subject: Streams.events.key(vault, name), event: envelope('KeyRotationPolicySet', { name, ...policy }) };
}

export function keyRestored(vault: string, name: string, versions: KeyVersionRecord[], rotationPolicy?: KeyRotationPolicyRecord): FixtureEvent {
  return {
    subject: Streams.events.key(vault, name),
    event: envelope('KeyRestored', { name, restored: nextTime(), versions, ...(rotationPolicy && { rotationPolicy }) }),
  };
}

export function secretExpiryNotified(vault: string, name: string, version: string, kind: ExpiryNoticeKind, exp: string): FixtureEvent {
  return { subject: Streams.events.secret(vault, name), event: envelope('SecretExpiryNotified', { name, version, kind, exp, notified: nextTime() }) };
}

export function keyExpiryNotified(vault: string, name: string, version: string, kind: ExpiryNoticeKind, exp: string): FixtureEvent {
  return { subject: Streams.events.key(vault, name), event: envelope('KeyExpiryNotified', { name, version, kind, exp, notified: nextTime() }) };
}

/** An EC certificate policy with an EmailContacts action 30 days before expiry. */
export function certificatePolicy(o: Partial<CertificatePolicy> = {}): CertificatePolicy {
  return {
    key_props: { kty: 'EC', crv: 'P-256', exportable: false, reuse_key: false },
    secret_props: { contentType: 'application/x-pem-file' },
    x509_props: { subject: 'CN=fixture', validity_months: 12 },
    lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'EmailContacts' } }],
    issuer: { name: 'Self' },
    ...o,
  };
}

/** A certificate version with its key and secret version (same id); `hsmKeyId` defaults to the version's own. */
export function certificateParts(
  vault: string, name: string, version: string, dek: number, o: { hsmKeyId?: string; attributes?: CertificateVersionAttributes; tags?: Record<string, string> } = {},
): CertificateVersionParts {
  const created = nextTime();
  const attributes = o.attributes ?? { enabled: true, nbf: '2025-01-01T00:00:00.000Z', exp: '2026-01-01T00:00:00.000Z' };
  return {
    certificate: {
      version, cer: randomBytes(64).toString('base64'), x5t: randomBytes(20).toString('base64url'), serialNumber: randomBytes(8).toString('hex'),
      subject: 'CN=fixture', issuer: 'CN=fixture', chain: [], attributes, ...(o.tags && { tags: o.tags }), created, updated: created,
    },
    key: keyVersionRecord(vault, name, version, { created, ...(o.hsmKeyId && { hsmKeyId: o.hsmKeyId }), attributes: { enabled: true, nbf: attributes.nbf, exp: attributes.exp } }),
    secret: versionRecord(version, dek, { created, contentType: 'application/x-pem-file', attributes: { enabled: true, nbf: attributes.nbf, exp: attributes.exp } }),
  };
}

const certificateEvent = <E extends DomainEvent>(vault: string, name: string, type: E['type'], data: E['data']): FixtureEvent =>
  ({ subject: Streams.events.certificate(vault, name), event: envelope<E>(type, data) });

export function certIssued(vault: string, name: string, parts: CertificateVersionParts, policy = certificatePolicy()): FixtureEvent {
  return certificateEvent(vault, name, 'CertIssued', { name, policy, issuerName: 'Self', ...parts });
}

export function certificateImported(vault: string, name: string, parts: CertificateVersionParts, policy = certificatePolicy()): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateImported', { name, policy, ...parts });
}

/** A pending operation (external CA) for `version`: its HSM key exists, its certificate not yet. */
export function certificateOperationStarted(vault: string, name: string, version: string, policy = certificatePolicy({ issuer: { name: 'Unknown' } })): FixtureEvent {
  const key = keyVersionRecord(vault, name, version);
  return certificateEvent(vault, name, 'CertificateOperationStarted', {
    name, policy, pending: { version, issuerName: 'Unknown', csr: randomBytes(64).toString('base64'), key, requestId: randomUUID(), created: key.created },
  });
}

export function certificateMerged(vault: string, name: string, parts: CertificateVersionParts): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateMerged', { name, ...parts });
}

export function certificateOperationCancelled(vault: string, name: string, destroyedHsmKeys: string[], deleted = false): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateOperationCancelled', { name, cancelled: nextTime(), deleted, destroyedHsmKeys });
}

export function certificatePolicySet(vault: string, name: string, policy: CertificatePolicy): FixtureEvent {
  return certificateEvent(vault, name, 'CertificatePolicySet', { name, policy, updated: nextTime() });
}

export function certificateAttributesUpdated(
  vault: string, name: string, version: string, attributes: CertificateVersionAttributes, tags?: Record<string, string>,
): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateAttributesUpdated', { name, version, attributes, ...(tags && { tags }), updated: nextTime() });
}

export function certificateDeleted(vault: string, name: string): FixtureEvent {
  const deletedDate = nextTime();
  return certificateEvent(vault, name, 'CertificateDeleted', {
    name, deletedDate, scheduledPurgeDate: new Date(Date.parse(deletedDate) + 90 * 86_400_000).toISOString(), recoveryId: `recovery-${name}`,
  });
}

export function certificateRecovered(vault: string, name: string): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateRecovered', { name, recovered: nextTime() });
}

export function certificatePurged(vault: string, name: string, destroyedHsmKeys: string[], shreddedKeys: number[]): FixtureEvent {
  return certificateEvent(vault, name, 'CertificatePurged', { name, purged: nextTime(), destroyedHsmKeys, shreddedKeys });
}

export function certificateRestored(vault: string, name: string, versions: CertificateVersionParts[], policy = certificatePolicy()): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateRestored', { name, restored: nextTime(), policy, versions });
}

export function certificateExpiryNotified(vault: string, name: string, version: string, exp: string, contacts: string[]): FixtureEvent {
  return certificateEvent(vault, name, 'CertificateExpiryNotified', { name, version, kind: 'NearExpiry', exp, notified: nextTime(), contacts });
}

export function issuerCreated(vault: string, name: string): FixtureEvent {
  return {
    subject: Streams.events.issuer(vault, name),
    event: envelope('IssuerCreated', {
      name, hsmKeyId: `${vault}/${name}/${'0'.repeat(32)}`, kty: 'EC', publicKey: { kty: 'EC', crv: 'P-256', x: randomBytes(32).toString('base64url'), y: randomBytes(32).toString('base64url') },
      cer: randomBytes(64).toString('base64'), chain: [], subject: `CN=${name}`, serialNumber: '01',
      notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2035-01-01T00:00:00.000Z', created: nextTime(),
    }),
  };
}

export function certificateRevoked(vault: string, issuer: string, serialNumber: string, crlNumber: number): FixtureEvent {
  return {
    subject: Streams.events.issuer(vault, issuer),
    event: envelope('CertificateRevoked', { issuer, crlNumber, serialNumber, revocationDate: nextTime(), reason: 'keyCompromise' }),
  };
}

export function contactsSet(vault: string, emails: string[]): FixtureEvent {
  return { subject: Streams.events.contacts(vault), event: envelope('CertificateContactsSet', { contacts: emails.map((email) => ({ email })), updated: nextTime() }) };
}

export function contactsDeleted(vault: string): FixtureEvent {
  return { subject: Streams.events.contacts(vault), event: envelope('CertificateContactsDeleted', { deleted: nextTime() }) };
}
