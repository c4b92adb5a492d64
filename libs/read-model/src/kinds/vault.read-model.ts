import { VAULT_PROJECTIONS } from '../projections/vault.projection';
import { vaultsTable } from '../tables/vault.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/vault.tables';
export * from '../decision-state/vault.decision-state';

export const VAULT_READ_MODEL: ReadModelKind = {
  subjects: [{ token: 'vault', kind: 'vault', shape: 'vault' }],
  tables: [vaultsTable],
  projections: VAULT_PROJECTIONS,
};
