import { DeletedKeyItem, KeyAttributes, KeyBundle, KeyItem, KeyRotationPolicy } from '@coffer/contracts';
import { azureAttributes, azureId, epochSeconds } from '../secrets/azure-secret-shapes';

const keyAttributes = (a: KeyAttributes) => ({ ...azureAttributes(a), exportable: a.exportable });

/** Azure's KeyBundle: the public JWK (kid at the origin called), attributes in epoch seconds, tags. */
export function azureKeyBundle(origin: string, vault: string, bundle: KeyBundle): Record<string, unknown> {
  return { key: { ...bundle.key, kid: azureId(origin, vault, bundle.key.kid) }, attributes: keyAttributes(bundle.attributes), tags: bundle.tags ?? {} };
}

export function azureKeyItem(origin: string, vault: string, item: KeyItem): Record<string, unknown> {
  return { kid: azureId(origin, vault, item.kid), attributes: keyAttributes(item.attributes), tags: item.tags ?? {} };
}

export function azureDeletedKey(origin: string, vault: string, deleted: DeletedKeyItem | (KeyBundle & Omit<DeletedKeyItem, 'kid' | 'kty'>)): Record<string, unknown> {
  const shape = 'key' in deleted ? azureKeyBundle(origin, vault, deleted) : azureKeyItem(origin, vault, deleted);
  return {
    ...shape,
    recoveryId: `${origin}/deletedkeys/${deleted.name}`,
    deletedDate: epochSeconds(deleted.deletedDate),
    scheduledPurgeDate: epochSeconds(deleted.scheduledPurgeDate),
  };
}

/** A key operation's reply with its kid at the origin called (value, iv, tag, aad pass through: base64url both sides). */
export function azureKeyOperation<T extends { kid: string }>(origin: string, vault: string, result: T): T {
  return { ...result, kid: azureId(origin, vault, result.kid) };
}

/** Azure's rotation policy: Coffer's shape with its id on the origin called and times in epoch seconds. */
export function azureRotationPolicy(origin: string, vault: string, policy: KeyRotationPolicy): Record<string, unknown> {
  return {
    id: azureId(origin, vault, policy.id),
    lifetimeActions: policy.lifetimeActions,
    attributes: {
      ...(policy.attributes.expiryTime !== undefined && { expiryTime: policy.attributes.expiryTime }),
      ...(policy.attributes.created !== undefined && { created: epochSeconds(policy.attributes.created) }),
      ...(policy.attributes.updated !== undefined && { updated: epochSeconds(policy.attributes.updated) }),
    },
  };
}

/** The members of an imported JWK Coffer reads (Azure's `key`; base64url both sides). */
export const IMPORT_JWK_MEMBERS = ['kty', 'n', 'e', 'd', 'dp', 'dq', 'qi', 'p', 'q', 'crv', 'x', 'y', 'k'] as const;
