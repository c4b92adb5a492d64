import { Curve, KeyOp, KeyRotationPolicyRecord, KeyType, KeyVersionRecord, LifetimeAction, PublicKeyMaterial } from '@coffer/contracts';
import { KeyState, KeyVersionState } from '@coffer/domain';
import { ReadModel } from '../read-model.queries';
import { noticesOfRow } from './expiry-notices';
import { attributesOfRow } from './version-attributes';
import { KeyRotationPolicyRow, KeyRow, KeyVersionRow } from '../tables/key.tables';

/** A version row as the record its events carry (what the vault's views are made of). */
export function keyVersionRecordOfRow(row: KeyVersionRow): KeyVersionRecord {
  return {
    version: row.version,
    hsmKeyId: row.hsmKeyId,
    kty: row.kty as KeyType,
    ...(row.keySize !== null && { keySize: row.keySize }),
    ...(row.crv !== null && { crv: row.crv as Curve }),
    keyOps: JSON.parse(row.keyOps) as KeyOp[],
    publicKey: JSON.parse(row.publicKey) as PublicKeyMaterial,
    attributes: attributesOfRow(row),
    ...(row.tags !== null && { tags: JSON.parse(row.tags) as Record<string, string> }),
    created: row.created,
    updated: row.updated,
  };
}

/** What a decider sees of a version: the record without its times, plus the notices recorded. */
export function keyVersionState(row: KeyVersionRow): KeyVersionState {
  const { created: _created, updated: _updated, ...version } = keyVersionRecordOfRow(row);
  return { ...version, notices: noticesOfRow(row) };
}

export function rotationPolicyOfRow(row: KeyRotationPolicyRow): KeyRotationPolicyRecord {
  return {
    lifetimeActions: JSON.parse(row.lifetimeActions) as LifetimeAction[],
    ...(row.expiryTime !== null && { expiryTime: row.expiryTime }),
    created: row.created,
    updated: row.updated,
  };
}

/** A key's decision state from its head row, the addressed version, the rotation policy (when read) and, for a deleted key, every version's HSM key id. */
export function keyDecisionState(head: KeyRow, version: KeyVersionRow | null, policy: KeyRotationPolicyRow | null, deletedHsmKeyIds: string[]): KeyState {
  return {
    status: head.status,
    sequence: head.sequence,
    currentVersion: head.currentVersion,
    deletedDate: head.deletedDate ?? undefined,
    scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
    hsmKeyIds: head.status === 'deleted' ? deletedHsmKeyIds : [],
    versions: version ? { [version.version]: keyVersionState(version) } : {},
    ...(policy && { rotationPolicy: rotationPolicyOfRow(policy) }),
    ...(head.managedBy && { managedBy: head.managedBy }),
  };
}

/** What a command needs beyond the head: a version (default the current one; false: none), the rotation policy. */
export interface KeyLoadNeeds {
  version?: string | false;
  policy?: boolean;
}

/**
 * Reads what a key command decides on, in O(1) whatever its history: the head, the addressed
 * version, the rotation policy only when asked, every version's HSM id only for a deleted key (what
 * a purge destroys). Null when the key has no row.
 */
export async function readKeyDecisionState(
  readModel: ReadModel, vault: string, name: string, needs: KeyLoadNeeds = {},
): Promise<{ head: KeyRow; state: KeyState } | null> {
  const head = await readModel.getKey(vault, name);
  if (!head) return null;
  const [row, policy, hsmKeyIds] = await Promise.all([
    needs.version === false ? null : readModel.getKeyVersion(vault, name, needs.version ?? head.currentVersion),
    needs.policy ? readModel.getKeyRotationPolicy(vault, name) : null,
    head.status === 'deleted' ? readModel.keyHsmKeyIds(vault, name) : [],
  ]);
  return { head, state: keyDecisionState(head, row, policy, hsmKeyIds) };
}
