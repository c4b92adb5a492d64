import { VAULT_CHANGE_TYPES, VAULT_EVENTS } from '../events/vault-events';
import { contractKind, eventKind } from './contract-kind';

export * from '../events/vault-events';

/** Vaults: one event subject per vault (`coffer.events.<vault>.vault`); its request subjects are `coffer.v1.vault.<vault>.<op>` (Subjects.vault). */
export const VAULT_CONTRACT = contractKind({
  events: eventKind(VAULT_EVENTS, VAULT_CHANGE_TYPES),
  stream: { token: 'vault', shape: 'vault' },
  notFound: { code: 'VaultNotFound', noun: 'Vault' },
  change: { objectType: 'Vault', path: '' },
});
