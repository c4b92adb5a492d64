import { VaultState } from '@coffer/domain';
import { ReadModel } from '../read-model.queries';
import { VaultRow } from '../tables/vault.tables';

export function vaultDecisionState(row: VaultRow): VaultState {
  return { exists: true, name: row.name, kekId: row.kekId, retentionDays: row.retentionDays, purgeProtection: row.purgeProtection, sequence: row.sequence };
}

/** Reads a vault's decision state; null without a row. */
export async function readVaultDecisionState(readModel: ReadModel, name: string): Promise<VaultState | null> {
  const row = await readModel.getVault(name);
  return row && vaultDecisionState(row);
}
