import { ALL_DATA_ACTIONS, DataAction, DataActions as A } from './data-actions';

export interface RoleDefinition {
  name: BuiltInRoleName;
  description: string;
  /** Granted actions; a trailing `*` grants every action with that prefix. */
  dataActions: readonly string[];
}

const KV = 'Microsoft.KeyVault/vaults';

/** Azure Key Vault's built-in data-plane roles, by the same names and (for secrets, keys, certificates) the same actions. */
export const BUILT_IN_ROLES = [
  {
    name: 'Key Vault Administrator',
    description: 'All data actions on all objects, vault settings, principals, role assignments and the audit trail.',
    dataActions: [`${KV}/*`, 'Coffer/*'],
  },
  {
    name: 'Key Vault Reader',
    description: 'Reads metadata of vaults, secrets, keys and certificates; never secret values or key material.',
    dataActions: [A.vaultsRead, A.secretsReadMetadata, A.keysRead, A.certificatesRead, A.certificateIssuersRead, A.keysRotationPolicyRead],
  },
  {
    name: 'Key Vault Secrets Officer',
    description: 'Every action on secrets.',
    dataActions: [`${KV}/secrets/*`, A.vaultsRead],
  },
  {
    name: 'Key Vault Secrets User',
    description: 'Reads secret values and metadata.',
    dataActions: [A.secretsGet, A.secretsReadMetadata],
  },
  {
    name: 'Key Vault Crypto Officer',
    description: 'Every action on keys.',
    dataActions: [`${KV}/keys/*`, A.vaultsRead],
  },
  {
    name: 'Key Vault Crypto User',
    description: 'Cryptographic operations with keys and reading their metadata.',
    dataActions: [A.keysRead, A.keysUpdate, A.keysBackup, A.keysEncrypt, A.keysDecrypt, A.keysWrap, A.keysUnwrap, A.keysSign, A.keysVerify],
  },
  {
    name: 'Key Vault Crypto Service Encryption User',
    description: 'Reads key metadata and wraps/unwraps with keys (for services encrypting data at rest).',
    dataActions: [A.keysRead, A.keysWrap, A.keysUnwrap],
  },
  {
    name: 'Key Vault Certificates Officer',
    description: 'Every action on certificates, issuers and contacts; reads the secrets and keys behind certificates.',
    dataActions: [`${KV}/certificates/*`, `${KV}/certificatecas/*`, `${KV}/certificatecontacts/*`, A.secretsGet, A.secretsReadMetadata, A.keysRead, A.vaultsRead],
  },
  {
    name: 'Key Vault Certificate User',
    description: 'Reads certificates, including their secret (the certificate with its private key where exportable).',
    dataActions: [A.certificatesRead, A.secretsGet, A.secretsReadMetadata, A.keysRead],
  },
  {
    name: 'Coffer Events Reader',
    description: 'Reads the change feed (CloudEvents about objects, never values or key material) of its scope.',
    dataActions: [A.changesRead],
  },
  {
    name: 'Coffer Audit Reader',
    description: 'Follows the audit feed of its scope (a vault: only that vault\'s records whole); at the root also queries and verifies the whole trail. Never values, tokens or credentials.',
    dataActions: [A.auditRead],
  },
  {
    name: 'Coffer Lifecycle Scheduler',
    description: 'What the lifecycle scheduler does: rotate keys and renew certificates on policy, purge after retention, record expiry notices, set rotated secret values.',
    dataActions: [A.keysRotate, A.keysPurge, A.secretsPurge, A.secretsSet, A.lifecycleNotify, A.certificatesCreate, A.certificatesPurge],
  },
] as const satisfies readonly { name: string; description: string; dataActions: readonly string[] }[];

export type BuiltInRoleName = (typeof BUILT_IN_ROLES)[number]['name'];
export const BUILT_IN_ROLE_NAMES: readonly BuiltInRoleName[] = BUILT_IN_ROLES.map((r) => r.name);

export function isBuiltInRole(name: string): name is BuiltInRoleName {
  return (BUILT_IN_ROLE_NAMES as readonly string[]).includes(name);
}

/** Whether one granted pattern covers an action. */
export function grants(pattern: string, action: string): boolean {
  return pattern.endsWith('*') ? action.startsWith(pattern.slice(0, -1)) : pattern === action;
}

/** Every concrete action a role grants (for listing and for the role matrix test). */
export function actionsOf(role: BuiltInRoleName): DataAction[] {
  const def = BUILT_IN_ROLES.find((r) => r.name === role)!;
  return ALL_DATA_ACTIONS.filter((a) => def.dataActions.some((p) => grants(p, a)));
}
