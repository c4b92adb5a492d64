import { PrincipalType } from './principal-events';

export interface TokenReply {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresOn: string;
}

/** The public keys access tokens are verified with (RFC 7517 JWK set; a token's `kid` names one). */
export interface JwksReply {
  keys: Array<{ kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; use: 'sig'; alg: 'ES256' }>;
}

export interface ChallengeReply {
  nonce: string;
  expiresOn: string;
}

export interface PrincipalInfo {
  id: string;
  name: string;
  type: PrincipalType;
  enabled: boolean;
  created: string;
  credentials: { id: string; kind: 'secret' | 'ed25519'; hint?: string; created: string; expires?: string }[];
}

/** Returned once, when a client secret is created: the secret is never shown again. */
export interface CredentialCreated {
  principalId: string;
  credentialId: string;
  clientSecret?: string;
}

export interface RoleAssignmentInfo {
  id: string;
  principalId: string;
  role: string;
  scope: string;
  created: string;
}

export interface RoleInfo {
  name: string;
  description: string;
  dataActions: string[];
}

export interface WhoAmIReply {
  principal: PrincipalInfo;
  assignments: RoleAssignmentInfo[];
  tokenExpiresOn: string;
}

export interface AuditVerifyReply {
  ok: boolean;
  checkedRecords: number;
  checkpoints: number;
  /** First problem found: what and where (stream sequence). */
  problems: { kind: 'modified' | 'removed' | 'inserted' | 'reordered' | 'forged-checkpoint'; sequence: number; detail: string }[];
  /** Paged verification: the last stream sequence the whole verification covers (pass it back as upTo). */
  upTo?: number;
  /** Paged verification: the last stream sequence this page covered. */
  lastSequence?: number;
  /** Paged verification: where the next page starts (fromSequence); absent on the last page. */
  nextSequence?: number;
  /** Set when the page started from a signed checkpoint: the checkpoint it trusted. */
  fromCheckpoint?: { sequence: number; count: number };
}

export interface ObjectUsage {
  objectId: string;
  versions: { version: string; lastReadBy: string; lastReadAt: string; reads: number }[];
}
