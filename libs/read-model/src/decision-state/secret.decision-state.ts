import { SecretVersionRecord } from '@coffer/contracts';
import { SecretState, SecretVersionState } from '@coffer/domain';
import { ReadModel } from '../read-model.queries';
import { noticesOfRow } from './expiry-notices';
import { attributesOfRow } from './version-attributes';
import { SecretRow, SecretVersionRow } from '../tables/secret.tables';

/** A version row as the vault's views show it (the record without its value). */
export function secretVersionViewOfRow(row: SecretVersionRow): Omit<SecretVersionRecord, 'value'> {
  return {
    version: row.version,
    attributes: attributesOfRow(row),
    ...(row.contentType !== null && { contentType: row.contentType }),
    ...(row.tags !== null && { tags: JSON.parse(row.tags) as Record<string, string> }),
    created: row.created,
    updated: row.updated,
  };
}

/** What a decider sees of a version: the view without its times, plus the notices recorded. */
export function secretVersionState(row: SecretVersionRow): SecretVersionState {
  const { created: _created, updated: _updated, ...version } = secretVersionViewOfRow(row);
  return { ...version, notices: noticesOfRow(row) };
}

/**
 * A secret's decision state from its head row, the addressed version (if any) and, for a deleted
 * secret, every data key it used (what a purge shreds); an active one needs only its current one.
 */
export function secretDecisionState(head: SecretRow, version: SecretVersionRow | null, deletedDeks: number[]): SecretState {
  return {
    status: head.status,
    sequence: head.sequence,
    currentVersion: head.currentVersion,
    deletedDate: head.deletedDate ?? undefined,
    scheduledPurgeDate: head.scheduledPurgeDate ?? undefined,
    deks: head.status === 'deleted' ? deletedDeks : [head.dek],
    versions: version ? { [version.version]: secretVersionState(version) } : {},
    ...(head.managedBy && { managedBy: head.managedBy }),
  };
}

/**
 * Reads what a secret command decides on, in O(1) whatever its history. `version`: the version the
 * command addresses (default: the current one); `false`: none. Null when the secret has no row.
 */
export async function readSecretDecisionState(
  readModel: ReadModel, vault: string, name: string, version?: string | false,
): Promise<{ head: SecretRow; state: SecretState } | null> {
  const head = await readModel.getSecret(vault, name);
  if (!head) return null;
  const [row, deks] = await Promise.all([
    version === false ? null : readModel.getSecretVersion(vault, name, version ?? head.currentVersion),
    head.status === 'deleted' ? readModel.secretDeks(vault, name) : [],
  ]);
  return { head, state: secretDecisionState(head, row, deks) };
}
