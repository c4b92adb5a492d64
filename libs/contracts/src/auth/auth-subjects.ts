import { PUBLIC_PREFIX } from '../subject-prefix';

/**
 * Identity and access subjects (public, versioned). Requests other than `auth.challenge`,
 * `auth.token` and `auth.jwks` carry `Authorization: Bearer <access token>` in a NATS header.
 */
export const AuthSubjects = {
  challenge: `${PUBLIC_PREFIX}.auth.challenge`,
  token: `${PUBLIC_PREFIX}.auth.token`,
  /** The token-signing public key as a JWK set (anonymous: an OpenID authority's jwks_uri serves it). */
  jwks: `${PUBLIC_PREFIX}.auth.jwks`,
  whoami: `${PUBLIC_PREFIX}.auth.whoami`,
  principal: (op: PrincipalOp) => `${PUBLIC_PREFIX}.principals.${op}`,
  roleList: `${PUBLIC_PREFIX}.roles.list`,
  roleAssignment: (op: RoleAssignmentOp) => `${PUBLIC_PREFIX}.roleassignments.${op}`,
  audit: (op: AuditOp) => `${PUBLIC_PREFIX}.audit.${op}`,
} as const;

export const PRINCIPAL_OPS = ['create', 'list', 'show', 'disable', 'enable', 'credential.add', 'credential.remove'] as const;
export type PrincipalOp = (typeof PRINCIPAL_OPS)[number];
export const ROLE_ASSIGNMENT_OPS = ['create', 'list', 'delete'] as const;
export type RoleAssignmentOp = (typeof ROLE_ASSIGNMENT_OPS)[number];
export const AUDIT_OPS = ['query', 'verify', 'usage', 'feed'] as const;
export type AuditOp = (typeof AUDIT_OPS)[number];

export const AuthHeaders = {
  authorization: 'Authorization',
} as const;

/** Access tokens: JWS compact (ES256), signed by the HSM-held token-signing key. */
export const TOKEN_ISSUER = 'coffer';
export const TOKEN_AUDIENCE = 'coffer.v1';
export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;

/** Event subjects of objects that belong to no vault (vault names start with a letter, so `_system` cannot clash). */
export const SYSTEM_SCOPE = '_system';
export const SystemStreams = {
  principal: (id: string) => `coffer.events.${SYSTEM_SCOPE}.principal.${id}`,
  roleAssignment: (id: string) => `coffer.events.${SYSTEM_SCOPE}.roleassignment.${id}`,
} as const;
