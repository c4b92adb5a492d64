import { badParameter, InnerErrorCodes, OBJECT_NAME, SecretVersionAttributes, VERSION_ID } from '@coffer/contracts';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'coffer-backup-v1.';
const AAD = Buffer.from('coffer/v1/backup/secret');

/** What a secret backup holds once opened: every version, values in plaintext. */
export interface SecretBackupPayload {
  name: string;
  versions: {
    version: string;
    value: string;
    attributes: SecretVersionAttributes;
    contentType?: string;
    tags?: Record<string, string>;
    created: string;
    updated: string;
  }[];
}

/** The sealed envelope: payload under a one-time key that only the HSM's backup KEK can unwrap. */
interface SealedBackup {
  wrapped: string;
  iv: string;
  ct: string;
}

const invalid = () => badParameter('The backup blob is not a valid Coffer secret backup.', InnerErrorCodes.InvalidBackup);

export function sealBackup(payload: SecretBackupPayload, key: Buffer, wrapped: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final(), cipher.getAuthTag()]);
  const sealed: SealedBackup = { wrapped, iv: iv.toString('base64'), ct: ct.toString('base64') };
  return PREFIX + Buffer.from(JSON.stringify(sealed)).toString('base64url');
}

export function parseSealedBackup(blob: string): SealedBackup {
  if (!blob.startsWith(PREFIX)) throw invalid();
  try {
    const sealed = JSON.parse(Buffer.from(blob.slice(PREFIX.length), 'base64url').toString('utf8')) as SealedBackup;
    if ([sealed.wrapped, sealed.iv, sealed.ct].every((f) => typeof f === 'string')) return sealed;
  } catch {
    /* fall through */
  }
  throw invalid();
}

/** Opens a sealed backup; any tampering fails GCM authentication and is reported as InvalidBackup. */
export function openBackup(sealed: SealedBackup, key: Buffer): SecretBackupPayload {
  try {
    const ct = Buffer.from(sealed.ct, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(ct.subarray(ct.length - 16));
    const payload = JSON.parse(Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString('utf8')) as SecretBackupPayload;
    if (OBJECT_NAME.test(payload.name) && Array.isArray(payload.versions) && payload.versions.length > 0 && payload.versions.every((v) => VERSION_ID.test(v.version) && typeof v.value === 'string')) {
      return payload;
    }
  } catch {
    /* fall through */
  }
  throw invalid();
}
