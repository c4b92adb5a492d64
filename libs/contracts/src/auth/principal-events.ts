import { EventCatalogue } from '../events/event-catalogue';
import { EventEnvelope } from '../events/event-envelope';
import { isObj, isStr, need, optStr, unless } from '../events/shape-checks';

export type PrincipalType = 'user' | 'servicePrincipal';

/**
 * A credential as stored: a client secret only as a hash, an Ed25519 key only as its public part.
 * Never the secret itself. The hash is a keyed hash (`hmac-sha256$<key id>$<mac>`: HMAC-SHA256
 * under a key that never leaves the HSM); credentials added before it carry a salted scrypt hash
 * (`scrypt$…`), replaced by a keyed hash on their first successful use (CredentialRehashed).
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
/** A client secret's stored hash was replaced by another of the same secret (an old scrypt hash by a keyed hash, on first use). */
export type CredentialRehashed = EventEnvelope<'CredentialRehashed', { principalId: string; credentialId: string; hash: string; rehashed: string }>;
export type PrincipalEvent = PrincipalCreated | PrincipalDisabled | PrincipalEnabled | CredentialAdded | CredentialRemoved | CredentialRehashed;

function credentialProblem(c: unknown): string | undefined {
  if (!isObj(c) || !isStr(c.id) || !isStr(c.created) || !optStr(c.expires)) return 'credential must have id, created and optional expires';
  if (c.kind === 'secret') return unless(isStr(c.hash) && isStr(c.hint), 'a secret credential needs hash and hint');
  if (c.kind === 'ed25519') return unless(isStr(c.publicKey), 'an ed25519 credential needs publicKey');
  return 'credential kind must be secret or ed25519';
}

/** Identity events are not about a vault's objects: the change feed has nothing for them. */
const noChanges = () => [];

/** Principal events (subject `coffer.events._system.principal.<id>`): schema and shape check. */
export const PRINCIPAL_EVENTS: EventCatalogue<PrincipalEvent> = {
  PrincipalCreated: {
    version: 1,
    shape: (d) => need(d, ['id', 'name', 'created']) || need(d, ['type'], (x) => x === 'user' || x === 'servicePrincipal', 'user or servicePrincipal'),
    changes: noChanges,
  },
  PrincipalDisabled: { version: 1, shape: (d) => need(d, ['id', 'disabled']), changes: noChanges },
  PrincipalEnabled: { version: 1, shape: (d) => need(d, ['id', 'enabled']), changes: noChanges },
  CredentialAdded: { version: 1, shape: (d) => need(d, ['principalId']) || credentialProblem(d.credential), changes: noChanges },
  CredentialRemoved: { version: 1, shape: (d) => need(d, ['principalId', 'credentialId', 'revokedBefore']), changes: noChanges },
  CredentialRehashed: { version: 1, shape: (d) => need(d, ['principalId', 'credentialId', 'hash', 'rehashed']), changes: noChanges },
};
