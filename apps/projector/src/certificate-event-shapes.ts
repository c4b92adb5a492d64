import { DomainEventType } from '@coffer/contracts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown) => typeof x === 'string';
const optStr = (x: unknown) => x === undefined || isStr(x);
const strings = (x: unknown) => Array.isArray(x) && x.every(isStr);

/** The record checks decode-event already has for keys and secrets (reused for a certificate's parts). */
export interface RecordChecks {
  keyRecord(r: unknown): string | undefined;
  secretRecord(r: unknown): string | undefined;
}

const CERTIFICATE_TYPES = new Set<string>([
  'CertIssued', 'CertificateImported', 'CertificateOperationStarted', 'CertificateMerged', 'CertificateOperationCancelled', 'CertificatePolicySet',
  'CertificateAttributesUpdated', 'CertificateDeleted', 'CertificateRecovered', 'CertificatePurged', 'CertificateRestored', 'IssuerCreated',
  'CertificateRevoked', 'CertificateContactsSet', 'CertificateContactsDeleted',
]);
export const isCertificateEventType = (type: string): boolean => CERTIFICATE_TYPES.has(type);

function certificateRecord(r: unknown): string | undefined {
  if (!isObj(r)) return 'certificate must be an object';
  if (![r.version, r.cer, r.x5t, r.serialNumber, r.subject, r.issuer, r.created, r.updated].every(isStr)) return 'certificate fields must be strings';
  if (!strings(r.chain)) return 'certificate.chain must be an array of strings';
  const a = r.attributes;
  if (!isObj(a) || typeof a.enabled !== 'boolean' || !isStr(a.nbf) || !isStr(a.exp)) return 'certificate.attributes are malformed';
  return r.tags === undefined || isObj(r.tags) ? undefined : 'certificate.tags are malformed';
}

function parts(d: Obj, checks: RecordChecks): string | undefined {
  return certificateRecord(d.certificate) || checks.keyRecord(d.key) || checks.secretRecord(d.secret);
}

const policy = (p: unknown) => (isObj(p) && isObj(p.key_props) && isObj(p.x509_props) && isObj(p.issuer) ? undefined : 'policy is malformed');

/** Field checks for certificate, issuer and contacts events (see shapeProblem in decode-event). */
export function certificateShapeProblem(type: DomainEventType, d: Obj, checks: RecordChecks): string | undefined {
  const need = (keys: string[]) => (keys.every((k) => isStr(d[k])) ? undefined : `${keys.join(', ')} must be strings`);
  switch (type) {
    case 'CertIssued':
    case 'CertificateImported':
      return need(['name']) || policy(d.policy) || parts(d, checks);
    case 'CertificateMerged':
      return need(['name']) || parts(d, checks);
    case 'CertificateOperationStarted': {
      const p = d.pending;
      if (!isObj(p) || ![p.version, p.issuerName, p.csr, p.requestId, p.created].every(isStr)) return 'pending is malformed';
      return need(['name']) || policy(d.policy) || checks.keyRecord(p.key);
    }
    case 'CertificateOperationCancelled':
      return need(['name', 'cancelled']) || (strings(d.destroyedHsmKeys) ? undefined : 'destroyedHsmKeys must be strings');
    case 'CertificatePolicySet':
      return need(['name', 'updated']) || policy(d.policy);
    case 'CertificateAttributesUpdated': {
      const a = d.attributes;
      return need(['name', 'version', 'updated']) || (isObj(a) && typeof a.enabled === 'boolean' && optStr(a.nbf) && optStr(a.exp) ? undefined : 'attributes are malformed');
    }
    case 'CertificateDeleted':
      return need(['name', 'deletedDate', 'scheduledPurgeDate', 'recoveryId']);
    case 'CertificateRecovered':
      return need(['name', 'recovered']);
    case 'CertificatePurged':
      return need(['name', 'purged']) || (strings(d.destroyedHsmKeys) && Array.isArray(d.shreddedKeys) && d.shreddedKeys.every(Number.isInteger)
        ? undefined : 'destroyedHsmKeys and shreddedKeys are malformed');
    case 'CertificateRestored':
      if (!Array.isArray(d.versions) || d.versions.length === 0) return 'versions must be a non-empty array';
      return need(['name', 'restored']) || policy(d.policy) || d.versions.map((v) => (isObj(v) ? parts(v, checks) : 'version must be an object')).find((p) => p !== undefined);
    case 'IssuerCreated':
      return need(['name', 'hsmKeyId', 'kty', 'cer', 'subject', 'serialNumber', 'notBefore', 'notAfter', 'created'])
        || (strings(d.chain) && isObj(d.publicKey) && !('d' in d.publicKey) ? undefined : 'chain or publicKey are malformed');
    case 'CertificateRevoked':
      return need(['issuer', 'serialNumber', 'revocationDate', 'reason']) || (Number.isInteger(d.crlNumber) ? undefined : 'crlNumber must be an integer');
    case 'CertificateContactsSet':
      return need(['updated']) || (Array.isArray(d.contacts) && d.contacts.every((c) => isObj(c) && isStr(c.email)) ? undefined : 'contacts are malformed');
    case 'CertificateContactsDeleted':
      return need(['deleted']);
    default:
      return `not a certificate event: ${type}`;
  }
}
