import { EventEnvelope } from '../events/event-envelope';

export type PrincipalType = 'user' | 'servicePrincipal';

/**
 * A credential as stored: a client secret only as a slow salted hash (scrypt), an Ed25519 key only
 * as its public part. Never the secret itself.
 */
export type StoredCredential =
  | { id: string; kind: 'secret'; hash: string; hint: string; created: string; expires?: string }
  | { id: string; kind: 'ed25519'; publicKey: string; created: string; expires?: string };

export type PrincipalCreated = EventEnvelope<'PrincipalCreated', { id: string; name: string; type: PrincipalType; created: string }>;
export type PrincipalDisabled = EventEnvelope<'PrincipalDisabled', { id: string; disabled: string }>;
export type PrincipalEnabled = EventEnvelope<'PrincipalEnabled', { id: string; enabled: string }>;
export type CredentialAdded = EventEnvelope<'CredentialAdded', { principalId: string; credential: StoredCredential }>;
/** Tokens issued before `revokedBefore` stop working (credential removal revokes outstanding tokens). */
export type CredentialRemoved = EventEnvelope<'CredentialRemoved', { principalId: string; credentialId: string; revokedBefore: string }>;
export type PrincipalEvent = PrincipalCreated | PrincipalDisabled | PrincipalEnabled | CredentialAdded | CredentialRemoved;

export type RoleAssignmentCreated = EventEnvelope<
  'RoleAssignmentCreated',
  { id: string; principalId: string; role: string; scope: string; created: string }
>;
/** `scope` (state-carrying, so the change feed can name the vault) is absent in events recorded before it was added. */
export type RoleAssignmentDeleted = EventEnvelope<'RoleAssignmentDeleted', { id: string; deleted: string; scope?: string }>;
export type RoleAssignmentEvent = RoleAssignmentCreated | RoleAssignmentDeleted;
