import { PrincipalType, StoredCredential } from '@coffer/contracts';

export interface CreatePrincipal {
  type: 'CreatePrincipal';
  id: string;
  name: string;
  principalType: PrincipalType;
  now: Date;
}

export interface DisablePrincipal {
  type: 'DisablePrincipal';
  id: string;
  now: Date;
}

export interface EnablePrincipal {
  type: 'EnablePrincipal';
  id: string;
  now: Date;
}

export interface AddCredential {
  type: 'AddCredential';
  principalId: string;
  /** Already hashed (secret) or public (ed25519): the decider never sees a secret. */
  credential: StoredCredential;
}

export interface RemoveCredential {
  type: 'RemoveCredential';
  principalId: string;
  credentialId: string;
  now: Date;
}

/** Replaces a client secret's stored hash, only while it is still `previousHash` (so a migration happens once). */
export interface RehashCredential {
  type: 'RehashCredential';
  principalId: string;
  credentialId: string;
  previousHash: string;
  hash: string;
  now: Date;
}

export type PrincipalCommand = CreatePrincipal | DisablePrincipal | EnablePrincipal | AddCredential | RemoveCredential | RehashCredential;
