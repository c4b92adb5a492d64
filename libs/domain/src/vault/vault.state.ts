import { VaultSettings } from '@coffer/contracts';

export type VaultState =
  | { exists: false; sequence: 0 }
  | ({ exists: true; name: string; kekId: string; sequence: number } & VaultSettings);

export const NO_VAULT: VaultState = { exists: false, sequence: 0 };
