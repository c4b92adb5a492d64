import {
  CertificatePolicy, CertificateVersionRecord, KeyVersionRecord, OBJECT_NAME, SecretVersionRecord, VERSION_ID,
} from '@coffer/contracts';
import { CertificateVersionRow } from '@coffer/read-model';

/**
 * One version in a certificate backup: the certificate record, its key record without the HSM id
 * (restore makes a new one) with the private half wrapped by the trusted backup key, and its secret
 * record with the value in plaintext (the whole payload is sealed under the backup KEK, as a secret
 * backup's is).
 */
export interface BackedUpCertificateVersion {
  certificate: CertificateVersionRecord;
  key: Omit<KeyVersionRecord, 'hsmKeyId'> & { family: 'RSA' | 'EC'; wrapped: string };
  secret: Omit<SecretVersionRecord, 'value'> & { value: string };
}

export interface CertificateBackupPayload {
  name: string;
  policy: CertificatePolicy;
  versions: BackedUpCertificateVersion[];
}

export const isCertificateBackup = (p: unknown): p is CertificateBackupPayload => {
  const payload = p as CertificateBackupPayload;
  return typeof payload === 'object' && payload !== null && OBJECT_NAME.test(payload.name) && typeof payload.policy === 'object'
    && Array.isArray(payload.versions) && payload.versions.length > 0
    && payload.versions.every((v) => typeof v === 'object' && v !== null && VERSION_ID.test(v.certificate?.version)
      && v.key?.version === v.certificate.version && v.secret?.version === v.certificate.version
      && typeof v.key.wrapped === 'string' && (v.key.family === 'RSA' || v.key.family === 'EC') && typeof v.secret.value === 'string');
};

/** The certificate record of a read-model version row (what its event carried). */
export function certificateRecordOfRow(row: CertificateVersionRow): CertificateVersionRecord {
  return {
    version: row.version, cer: row.cer, x5t: row.x5t, serialNumber: row.serialNumber, subject: row.subject, issuer: row.issuer,
    chain: JSON.parse(row.chain) as string[], attributes: { enabled: row.enabled, nbf: row.nbf, exp: row.exp },
    ...(row.tags && { tags: JSON.parse(row.tags) as Record<string, string> }), created: row.created, updated: row.updated,
  };
}
