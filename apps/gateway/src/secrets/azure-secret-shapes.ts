import { DeletedSecretItem, SecretAttributes, SecretItem } from '@coffer/contracts';

/** Azure's times are whole seconds since the epoch; Coffer's are ISO 8601. */
export const epochSeconds = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

/** A Coffer id (`coffer://<vault>/secrets/<name>[/<version>]`) at the origin the client called. */
export function azureId(origin: string, vault: string, cofferId: string): string {
  const prefix = `coffer://${vault}`;
  return cofferId.startsWith(prefix) ? origin + cofferId.slice(prefix.length) : cofferId;
}

export interface AzureSecretAttributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

export function azureAttributes(a: SecretAttributes): AzureSecretAttributes {
  return {
    enabled: a.enabled,
    ...(a.nbf !== undefined && { nbf: epochSeconds(a.nbf) }),
    ...(a.exp !== undefined && { exp: epochSeconds(a.exp) }),
    created: epochSeconds(a.created) as number,
    updated: epochSeconds(a.updated) as number,
    recoveryLevel: a.recoveryLevel,
    recoverableDays: a.recoverableDays,
  };
}

/** SecretItem (lists): id, attributes, tags, contentType; a bundle additionally has its value. */
export function azureSecretItem(origin: string, vault: string, item: SecretItem): Record<string, unknown> {
  return {
    id: azureId(origin, vault, item.id),
    attributes: azureAttributes(item.attributes),
    tags: item.tags ?? {},
    ...(item.contentType !== undefined && { contentType: item.contentType }),
  };
}

export function azureSecretBundle(origin: string, vault: string, bundle: SecretItem & { value?: string }): Record<string, unknown> {
  return { ...(bundle.value !== undefined && { value: bundle.value }), ...azureSecretItem(origin, vault, bundle) };
}

export function azureDeletedSecret(origin: string, vault: string, deleted: DeletedSecretItem): Record<string, unknown> {
  return {
    ...azureSecretItem(origin, vault, deleted),
    recoveryId: `${origin}/deletedsecrets/${deleted.name}`,
    deletedDate: epochSeconds(deleted.deletedDate),
    scheduledPurgeDate: epochSeconds(deleted.scheduledPurgeDate),
  };
}

/** Backups are Coffer's sealed text; Azure's `value` is base64url bytes (the SDK decodes it), so the text is carried as its UTF-8 bytes. */
export const azureBackup = (cofferBlob: string): string => Buffer.from(cofferBlob, 'utf8').toString('base64url');
export const cofferBackup = (azureValue: string): string => Buffer.from(azureValue, 'base64url').toString('utf8');
