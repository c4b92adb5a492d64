import { AppliedRequest } from './entities/applied-request.entity';
import { KeyRotationPolicyRow } from './entities/key-rotation-policy-row.entity';
import { KeyRow } from './entities/key-row.entity';
import { KeyVersionRow } from './entities/key-version-row.entity';
import { PrincipalCredentialRow } from './entities/principal-credential-row.entity';
import { PrincipalRow } from './entities/principal-row.entity';
import { RoleAssignmentRow } from './entities/role-assignment-row.entity';
import { SecretRow } from './entities/secret-row.entity';
import { SecretVersionRow } from './entities/secret-version-row.entity';
import { VaultRow } from './entities/vault-row.entity';

/** Raw driver rows → plain row objects: SQLite gives booleans as 0/1, pg gives bigint as string. */
type Raw = Record<string, unknown>;

export const toVaultRow = (r: Raw): VaultRow => ({ ...r, purgeProtection: Boolean(r.purgeProtection), sequence: Number(r.sequence) }) as VaultRow;
export const toSecretRow = (r: Raw): SecretRow => ({ ...r, sequence: Number(r.sequence) }) as SecretRow;
export const toSecretVersionRow = (r: Raw): SecretVersionRow => ({ ...r, enabled: Boolean(r.enabled) }) as SecretVersionRow;
export const toAppliedRequest = (r: Raw): AppliedRequest => ({ ...r, sequence: Number(r.sequence), occurredAt: Number(r.occurredAt) }) as AppliedRequest;
export const toPrincipalRow = (r: Raw): PrincipalRow => ({ ...r, enabled: Boolean(r.enabled), sequence: Number(r.sequence) }) as PrincipalRow;
export const toCredentialRow = (r: Raw): PrincipalCredentialRow => r as unknown as PrincipalCredentialRow;
export const toRoleAssignmentRow = (r: Raw): RoleAssignmentRow => ({ ...r, sequence: Number(r.sequence) }) as RoleAssignmentRow;
export const toKeyRow = (r: Raw): KeyRow => ({ ...r, sequence: Number(r.sequence) }) as KeyRow;
export const toKeyVersionRow = (r: Raw): KeyVersionRow =>
  ({ ...r, enabled: Boolean(r.enabled), keySize: r.keySize === null ? null : Number(r.keySize) }) as KeyVersionRow;
export const toKeyRotationPolicyRow = (r: Raw): KeyRotationPolicyRow => r as unknown as KeyRotationPolicyRow;
