import { RecoveryLevel, VaultInfo } from '@coffer/contracts';
import { VaultRow } from '@coffer/read-model';

export const recoveryLevel = (vault: Pick<VaultRow, 'purgeProtection'>): RecoveryLevel =>
  vault.purgeProtection ? 'Recoverable' : 'Recoverable+Purgeable';

export function toVaultInfo(row: VaultRow): VaultInfo {
  return {
    id: `coffer://${row.name}`,
    name: row.name,
    retentionDays: row.retentionDays,
    purgeProtection: row.purgeProtection,
    recoveryLevel: recoveryLevel(row),
    created: row.created,
    updated: row.updated,
  };
}
