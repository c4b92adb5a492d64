import { VaultFeature } from '../vault-feature';
import { CreateVaultHandler } from './create-vault.handler';
import { ListVaultsHandler } from './list-vaults.handler';
import { ShowVaultHandler } from './show-vault.handler';
import { UpdateVaultHandler } from './update-vault.handler';
import { VaultDirectory } from './vault-directory';
import { VaultStateLoader } from './vault-state.loader';

/** Vaults: create (with its KEK in the HSM), show, update, list. */
export const VAULT_FEATURE: VaultFeature = {
  controllers: [CreateVaultHandler, ShowVaultHandler, UpdateVaultHandler, ListVaultsHandler],
  providers: [VaultDirectory, VaultStateLoader],
};
