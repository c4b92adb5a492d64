import {
  DeletedKeyBundle, DeletedKeyItem, JsonWebKey, KeyAttributes, KeyBundle, KeyItem, KeyRotationPolicy, KeyRotationPolicyRecord, KeyVersionRecord,
} from '@coffer/contracts';
import { keyVersionRecordOfRow, KeyRow, KeyVersionRow, rotationPolicyOfRow, VaultRow } from '@coffer/read-model';
import { recoveryLevel } from '../vaults/vault-info.mapper';
import { keyId, rotationPolicyId } from './key-ids';

/** A version as the mappers need it: from a read-model row or straight from an event (the same record). */
export type KeyVersionView = KeyVersionRecord;

/** A version row as the views show it (one reading of a row, shared with the decision state). */
export const viewOfKeyRow = (row: KeyVersionRow): KeyVersionView => keyVersionRecordOfRow(row);

/** The public half as an Azure JWK; oct keys show no material at all. */
export function toJwk(vault: string, name: string, v: KeyVersionView): JsonWebKey {
  const { publicKey: pk } = v;
  return {
    kid: keyId(vault, name, v.version),
    kty: v.kty,
    key_ops: v.keyOps,
    ...(pk.kty === 'RSA' && { n: pk.n, e: pk.e }),
    ...(pk.kty === 'EC' && { crv: pk.crv, x: pk.x, y: pk.y }),
  };
}

export function keyAttributesOf(v: KeyVersionView, vault: VaultRow): KeyAttributes {
  return {
    ...v.attributes, created: v.created, updated: v.updated, recoveryLevel: recoveryLevel(vault), recoverableDays: vault.retentionDays, exportable: false,
  };
}

/** `withVersion`: kids end in the version (version lists); otherwise in the name (key lists). */
export function toKeyItem(vault: VaultRow, name: string, v: KeyVersionView, withVersion: boolean): KeyItem {
  return {
    kid: keyId(vault.name, name, withVersion ? v.version : undefined),
    name,
    ...(withVersion && { version: v.version }),
    kty: v.kty,
    attributes: keyAttributesOf(v, vault),
    ...(v.tags !== undefined && { tags: v.tags }),
  };
}

export function toKeyBundle(vault: VaultRow, name: string, v: KeyVersionView, sequence: number): KeyBundle {
  return {
    key: toJwk(vault.name, name, v),
    name,
    version: v.version,
    attributes: keyAttributesOf(v, vault),
    ...(v.tags !== undefined && { tags: v.tags }),
    sequence,
  };
}

const deletion = (head: KeyRow) => ({ recoveryId: head.recoveryId ?? '', deletedDate: head.deletedDate ?? '', scheduledPurgeDate: head.scheduledPurgeDate ?? '' });

export const toDeletedKeyItem = (vault: VaultRow, head: KeyRow, v: KeyVersionView): DeletedKeyItem =>
  ({ ...toKeyItem(vault, head.name, v, false), ...deletion(head) });

export const toDeletedKeyBundle = (vault: VaultRow, head: KeyRow, v: KeyVersionView): DeletedKeyBundle =>
  ({ ...toKeyBundle(vault, head.name, v, head.sequence), ...deletion(head) });

/** The rotation policy record a row holds. */
export const policyOfRow = rotationPolicyOfRow;

/** Azure's shape; a key without a policy has an empty one. */
export function toRotationPolicy(vault: string, name: string, p: KeyRotationPolicyRecord | null): KeyRotationPolicy {
  return {
    id: rotationPolicyId(vault, name),
    lifetimeActions: p?.lifetimeActions ?? [],
    attributes: p ? { ...(p.expiryTime !== undefined && { expiryTime: p.expiryTime }), created: p.created, updated: p.updated } : {},
  };
}
