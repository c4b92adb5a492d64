import { DeletedSecretItem, SecretAttributes, SecretItem, SecretVersionRecord } from '@coffer/contracts';
import { SecretRow, SecretVersionRow, secretVersionViewOfRow, VaultRow } from '@coffer/read-model';
import { recoveryLevel } from '../vaults/vault-info.mapper';
import { secretId } from './secret-ids';

/** A version as the mappers need it: from a read-model row or straight from an event (the record without its value). */
export type VersionView = Omit<SecretVersionRecord, 'value'>;

/** A version row as the views show it (one reading of a row, shared with the decision state). */
export const viewOfRow = (row: SecretVersionRow): VersionView => secretVersionViewOfRow(row);

export function attributesOf(v: VersionView, vault: VaultRow): SecretAttributes {
  return { ...v.attributes, created: v.created, updated: v.updated, recoveryLevel: recoveryLevel(vault), recoverableDays: vault.retentionDays };
}

/** `withVersion`: ids end in the version (version lists, bundles); otherwise in the name (secret lists). */
export function toSecretItem(vault: VaultRow, name: string, v: VersionView, withVersion: boolean): SecretItem {
  return {
    id: secretId(vault.name, name, withVersion ? v.version : undefined),
    name,
    ...(withVersion && { version: v.version }),
    attributes: attributesOf(v, vault),
    ...(v.contentType !== undefined && { contentType: v.contentType }),
    ...(v.tags !== undefined && { tags: v.tags }),
  };
}

export function toDeletedItem(vault: VaultRow, head: SecretRow, v: VersionView): DeletedSecretItem {
  return {
    ...toSecretItem(vault, head.name, v, false),
    recoveryId: head.recoveryId ?? '',
    deletedDate: head.deletedDate ?? '',
    scheduledPurgeDate: head.scheduledPurgeDate ?? '',
  };
}
