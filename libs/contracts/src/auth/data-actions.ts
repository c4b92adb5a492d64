import { KindActions, kindsWith } from '../kinds/contract-kinds';

const kindActions = Object.assign({}, ...kindsWith('actions').map(([, actions]) => actions)) as KindActions;

/**
 * Data actions, with Azure Key Vault's names where Azure has one, so role definitions read the
 * same. Coffer's own management plane (vaults, principals, role assignments, audit) uses the
 * `Coffer/` namespace.
 */
export const DataActions = {
  // Each object kind's (secrets, keys, certificates, issuers, contacts), declared in its kinds/<kind>.contract.ts
  ...kindActions,
  // Coffer management plane
  vaultsRead: 'Coffer/vaults/read',
  vaultsWrite: 'Coffer/vaults/write',
  principalsRead: 'Coffer/principals/read',
  principalsWrite: 'Coffer/principals/write',
  roleAssignmentsRead: 'Coffer/roleAssignments/read',
  roleAssignmentsWrite: 'Coffer/roleAssignments/write',
  auditRead: 'Coffer/audit/read',
  changesRead: 'Coffer/changes/read',
  /** Record expiry notices (SecretNearExpiry/Expired, KeyNearExpiry/Expired): the scheduler's. */
  lifecycleNotify: 'Coffer/lifecycle/notify/action',
  /** Shift the clock of a deployment in dev mode (COFFER_DEV_MODE=1). */
  devTimeWrite: 'Coffer/dev/time/write',
} as const;

export type DataAction = (typeof DataActions)[keyof typeof DataActions];
export const ALL_DATA_ACTIONS: readonly DataAction[] = Object.values(DataActions);
