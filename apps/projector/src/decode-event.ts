import { DomainEvent, DomainEventType, EventEnvelope, UnknownEventError, upcast } from '@coffer/contracts';
import { parseEventSubject, UnprojectableEventError } from '@coffer/read-model';
import { PoisonEventError } from './projector.errors';
import { certificateShapeProblem } from './certificate-event-shapes';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown) => typeof x === 'string';
const optStr = (x: unknown) => x === undefined || isStr(x);
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Field checks per event type: enough that a malformed event fails here, not half way into SQL. */
function shapeProblem(type: DomainEventType, d: Obj): string | undefined {
  const need = (keys: string[], test: (x: unknown) => boolean, what: string): string | undefined => {
    const bad = keys.find((k) => !test(d[k]));
    return bad === undefined ? undefined : `${bad} must be ${what}`;
  };
  const record = (r: unknown): string | undefined => {
    if (!isObj(r)) return 'version record must be an object';
    const v = r.value, a = r.attributes;
    if (!isStr(r.version) || !isStr(r.created) || !isStr(r.updated)) return 'version, created and updated must be strings';
    if (!isObj(v) || !Number.isInteger(v.dek) || !isStr(v.iv) || !isStr(v.ct)) return 'value must be an EncryptedValue';
    if (!isObj(a) || typeof a.enabled !== 'boolean' || !optStr(a.nbf) || !optStr(a.exp)) return 'attributes are malformed';
    if (!optStr(r.contentType) || !(r.tags === undefined || isObj(r.tags))) return 'contentType or tags are malformed';
    return undefined;
  };
  const attributes = (a: unknown) => isObj(a) && typeof a.enabled === 'boolean' && optStr(a.nbf) && optStr(a.exp);
  const keyRecord = (r: unknown): string | undefined => {
    if (!isObj(r)) return 'version record must be an object';
    if (![r.version, r.hsmKeyId, r.kty, r.created, r.updated].every(isStr)) return 'version, hsmKeyId, kty, created and updated must be strings';
    if (!Array.isArray(r.keyOps) || !r.keyOps.every(isStr)) return 'keyOps must be an array of strings';
    const pk = r.publicKey;
    if (!isObj(pk) || !isStr(pk.kty)) return 'publicKey must be a public JWK';
    // Defence in depth for invariant 1: private or secret members never enter the read model.
    if (PRIVATE_JWK_MEMBERS.some((m) => m in pk)) return 'publicKey must not carry private members';
    if (!attributes(r.attributes)) return 'attributes are malformed';
    if (!(r.tags === undefined || isObj(r.tags)) || !(r.keySize === undefined || Number.isInteger(r.keySize)) || !optStr(r.crv)) return 'tags, keySize or crv are malformed';
    return undefined;
  };
  const policy = (p: Obj): string | undefined => {
    if (!Array.isArray(p.lifetimeActions) || !p.lifetimeActions.every((a) => isObj(a) && isObj(a.trigger) && isObj(a.action))) return 'lifetimeActions are malformed';
    return isStr(p.created) && isStr(p.updated) && optStr(p.expiryTime) ? undefined : 'created, updated and expiryTime must be strings';
  };
  const credential = (c: unknown): string | undefined => {
    if (!isObj(c) || !isStr(c.id) || !isStr(c.created) || !optStr(c.expires)) return 'credential must have id, created and optional expires';
    if (c.kind === 'secret') return isStr(c.hash) && isStr(c.hint) ? undefined : 'a secret credential needs hash and hint';
    if (c.kind === 'ed25519') return isStr(c.publicKey) ? undefined : 'an ed25519 credential needs publicKey';
    return 'credential kind must be secret or ed25519';
  };
  switch (type) {
    case 'VaultCreated':
      return need(['name', 'kekId', 'created'], isStr, 'a string') || need(['retentionDays'], Number.isInteger, 'an integer')
        || need(['purgeProtection'], (x) => typeof x === 'boolean', 'a boolean');
    case 'VaultUpdated':
      return need(['name', 'updated'], isStr, 'a string') || need(['retentionDays'], Number.isInteger, 'an integer')
        || need(['purgeProtection'], (x) => typeof x === 'boolean', 'a boolean');
    case 'SecretSet':
      return need(['name'], isStr, 'a string') || record(d);
    case 'SecretAttributesUpdated':
      return need(['name', 'version', 'updated'], isStr, 'a string')
        || record({ version: d.version, created: d.updated, updated: d.updated, value: { dek: 0, iv: '', ct: '' }, attributes: d.attributes, contentType: d.contentType, tags: d.tags });
    case 'SecretDeleted':
      return need(['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId'], isStr, 'a string');
    case 'SecretRecovered':
      return need(['name', 'recovered'], isStr, 'a string');
    case 'SecretPurged':
      return need(['name', 'purged'], isStr, 'a string') || need(['shreddedKeys'], Array.isArray, 'an array');
    case 'SecretRestored':
      if (!Array.isArray(d.versions) || d.versions.length === 0) return 'versions must be a non-empty array';
      return need(['name', 'restored'], isStr, 'a string') || d.versions.map(record).find((p) => p !== undefined);
    case 'KeyCreated':
    case 'KeyImported':
    case 'KeyRotated':
      return need(['name'], isStr, 'a string') || keyRecord(d);
    case 'KeyAttributesUpdated':
      return need(['name', 'version', 'updated'], isStr, 'a string')
        || (Array.isArray(d.keyOps) && d.keyOps.every(isStr) ? undefined : 'keyOps must be an array of strings')
        || (attributes(d.attributes) ? undefined : 'attributes are malformed') || (d.tags === undefined || isObj(d.tags) ? undefined : 'tags are malformed');
    case 'KeyDeleted':
      return need(['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId'], isStr, 'a string');
    case 'KeyRecovered':
      return need(['name', 'recovered'], isStr, 'a string');
    case 'KeyPurged':
      return need(['name', 'purged'], isStr, 'a string') || (Array.isArray(d.destroyedHsmKeys) && d.destroyedHsmKeys.every(isStr) ? undefined : 'destroyedHsmKeys must be an array of strings');
    case 'KeyRotationPolicySet':
      return need(['name'], isStr, 'a string') || policy(d);
    case 'KeyRestored':
      if (!Array.isArray(d.versions) || d.versions.length === 0) return 'versions must be a non-empty array';
      return need(['name', 'restored'], isStr, 'a string') || d.versions.map(keyRecord).find((p) => p !== undefined)
        || (d.rotationPolicy === undefined ? undefined : isObj(d.rotationPolicy) ? policy(d.rotationPolicy) : 'rotationPolicy must be an object');
    case 'SecretExpiryNotified':
    case 'KeyExpiryNotified':
      return need(['name', 'version', 'exp', 'notified'], isStr, 'a string') || (optStr(d.nbf) ? undefined : 'nbf must be a string')
        || (d.kind === 'NearExpiry' || d.kind === 'Expired' ? undefined : 'kind must be NearExpiry or Expired');
    case 'CertificateExpiryNotified':
      return need(['name', 'version', 'exp', 'notified'], isStr, 'a string') || (optStr(d.nbf) ? undefined : 'nbf must be a string')
        || (d.kind === 'NearExpiry' ? undefined : 'kind must be NearExpiry')
        || (Array.isArray(d.contacts) && d.contacts.every(isStr) ? undefined : 'contacts must be an array of strings');
    case 'PrincipalCreated':
      return need(['id', 'name', 'created'], isStr, 'a string') || need(['type'], (x) => x === 'user' || x === 'servicePrincipal', 'user or servicePrincipal');
    case 'PrincipalDisabled':
      return need(['id', 'disabled'], isStr, 'a string');
    case 'PrincipalEnabled':
      return need(['id', 'enabled'], isStr, 'a string');
    case 'CredentialAdded':
      return need(['principalId'], isStr, 'a string') || credential(d.credential);
    case 'CredentialRemoved':
      return need(['principalId', 'credentialId', 'revokedBefore'], isStr, 'a string');
    case 'RoleAssignmentCreated':
      return need(['id', 'principalId', 'role', 'scope', 'created'], isStr, 'a string');
    case 'RoleAssignmentDeleted':
      return need(['id', 'deleted'], isStr, 'a string');
    case 'CertIssued': case 'CertificateImported': case 'CertificateOperationStarted': case 'CertificateMerged':
    case 'CertificateOperationCancelled': case 'CertificatePolicySet': case 'CertificateAttributesUpdated': case 'CertificateDeleted':
    case 'CertificateRecovered': case 'CertificatePurged': case 'CertificateRestored': case 'IssuerCreated': case 'CertificateRevoked':
    case 'CertificateContactsSet': case 'CertificateContactsDeleted':
      return certificateShapeProblem(type, d, { keyRecord, secretRecord: record });
    default: {
      const unknown: never = type;
      return `unknown type ${unknown as string}`;
    }
  }
}

const decoder = new TextDecoder();

/** Stored message → current-shape DomainEvent, or PoisonEventError (which never quotes the body). */
export function decodeEvent(data: Uint8Array, subject: string, sequence: number): DomainEvent {
  let stored: unknown;
  try {
    stored = JSON.parse(decoder.decode(data));
  } catch {
    // JSON.parse messages quote the input: keep them out of logs.
    throw new PoisonEventError(sequence, undefined, 'body is not valid JSON');
  }
  if (!isObj(stored) || !isStr(stored.type) || !Number.isInteger(stored.version) || !isObj(stored.data)
    || !isObj(stored.metadata) || !isStr(stored.metadata.requestId)) {
    throw new PoisonEventError(sequence, undefined, 'body is not an event envelope');
  }
  const type = stored.type as string;
  let event: DomainEvent;
  try {
    event = upcast(stored as unknown as EventEnvelope);
  } catch (err) {
    if (err instanceof UnknownEventError) throw new PoisonEventError(sequence, type, `unknown event type or version v${String(stored.version)}`);
    throw new PoisonEventError(sequence, type, 'upcast failed');
  }
  const problem = isObj(event.data) ? shapeProblem(event.type, event.data as unknown as Obj) : 'data must be an object';
  if (problem) throw new PoisonEventError(sequence, type, problem);
  try {
    parseEventSubject(subject);
  } catch (err) {
    if (err instanceof UnprojectableEventError) throw new PoisonEventError(sequence, type, err.message);
    throw err;
  }
  return event;
}
