import { badParameter, InnerErrorCodes } from '@coffer/contracts';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Backup blobs of any object kind: the payload as JSON under a one-time AES-256-GCM key that only
 * the HSM's backup KEK can unwrap. The AAD names the kind, so a secret backup never opens as a key
 * backup (or the other way round).
 */
const PREFIX = 'coffer-backup-v1.';
/** The kind's singular name (ObjectKindDescriptor.name): 'secret', 'key', 'certificate', … */
export type BackupKind = string;
const aadOf = (kind: BackupKind) => Buffer.from(`coffer/v1/backup/${kind}`);

/** The sealed envelope: payload under a one-time key wrapped by the backup KEK. */
export interface SealedBackup {
  wrapped: string;
  iv: string;
  ct: string;
}

const invalid = (kind: BackupKind) => badParameter(`The backup blob is not a valid Coffer ${kind} backup.`, InnerErrorCodes.InvalidBackup);

export function sealBlob(kind: BackupKind, payload: unknown, key: Buffer, wrapped: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(kind));
  const ct = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final(), cipher.getAuthTag()]);
  const sealed: SealedBackup = { wrapped, iv: iv.toString('base64'), ct: ct.toString('base64') };
  return PREFIX + Buffer.from(JSON.stringify(sealed)).toString('base64url');
}

export function parseSealedBlob(kind: BackupKind, blob: string): SealedBackup {
  if (!blob.startsWith(PREFIX)) throw invalid(kind);
  try {
    const sealed = JSON.parse(Buffer.from(blob.slice(PREFIX.length), 'base64url').toString('utf8')) as SealedBackup;
    if ([sealed.wrapped, sealed.iv, sealed.ct].every((f) => typeof f === 'string')) return sealed;
  } catch {
    /* fall through */
  }
  throw invalid(kind);
}

/** Opens a sealed blob; tampering fails GCM authentication, and a payload `isValid` rejects is InvalidBackup too. */
export function openBlob<T>(kind: BackupKind, sealed: SealedBackup, key: Buffer, isValid: (payload: unknown) => payload is T): T {
  try {
    const ct = Buffer.from(sealed.ct, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aadOf(kind));
    decipher.setAuthTag(ct.subarray(ct.length - 16));
    const payload = JSON.parse(Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString('utf8')) as unknown;
    if (isValid(payload)) return payload;
  } catch {
    /* fall through */
  }
  throw invalid(kind);
}
