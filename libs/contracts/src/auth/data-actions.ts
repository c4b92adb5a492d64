/**
 * Data actions, with Azure Key Vault's names where Azure has one, so role definitions read the
 * same. Coffer's own management plane (vaults, principals, role assignments, audit) uses the
 * `Coffer/` namespace. Key and certificate actions are defined now so roles are complete before
 * those objects exist.
 */
const KV = 'Microsoft.KeyVault/vaults';

export const DataActions = {
  // Secrets
  secretsGet: `${KV}/secrets/getSecret/action`,
  secretsReadMetadata: `${KV}/secrets/readMetadata/action`,
  secretsSet: `${KV}/secrets/setSecret/action`,
  secretsUpdate: `${KV}/secrets/update/action`,
  secretsDelete: `${KV}/secrets/delete`,
  secretsBackup: `${KV}/secrets/backup/action`,
  secretsRestore: `${KV}/secrets/restore/action`,
  secretsRecover: `${KV}/secrets/recover/action`,
  secretsPurge: `${KV}/secrets/purge/action`,
  // Keys
  keysRead: `${KV}/keys/read`,
  keysCreate: `${KV}/keys/create/action`,
  keysUpdate: `${KV}/keys/update/action`,
  keysImport: `${KV}/keys/import/action`,
  keysDelete: `${KV}/keys/delete`,
  keysBackup: `${KV}/keys/backup/action`,
  keysRestore: `${KV}/keys/restore/action`,
  keysRecover: `${KV}/keys/recover/action`,
  keysPurge: `${KV}/keys/purge/action`,
  keysRotate: `${KV}/keys/rotate/action`,
  keysEncrypt: `${KV}/keys/encrypt/action`,
  keysDecrypt: `${KV}/keys/decrypt/action`,
  keysWrap: `${KV}/keys/wrap/action`,
  keysUnwrap: `${KV}/keys/unwrap/action`,
  keysSign: `${KV}/keys/sign/action`,
  keysVerify: `${KV}/keys/verify/action`,
  keysRotationPolicyRead: `${KV}/keys/rotationpolicy/read`,
  keysRotationPolicyWrite: `${KV}/keys/rotationpolicy/write`,
  // Certificates
  certificatesRead: `${KV}/certificates/read`,
  certificatesCreate: `${KV}/certificates/create/action`,
  certificatesUpdate: `${KV}/certificates/update/action`,
  certificatesImport: `${KV}/certificates/import/action`,
  certificatesDelete: `${KV}/certificates/delete`,
  certificatesBackup: `${KV}/certificates/backup/action`,
  certificatesRestore: `${KV}/certificates/restore/action`,
  certificatesRecover: `${KV}/certificates/recover/action`,
  certificatesPurge: `${KV}/certificates/purge/action`,
  certificateIssuersRead: `${KV}/certificatecas/read`,
  certificateIssuersWrite: `${KV}/certificatecas/write`,
  certificateIssuersDelete: `${KV}/certificatecas/delete`,
  certificateContactsWrite: `${KV}/certificatecontacts/write`,
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
