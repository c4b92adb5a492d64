import { PrincipalType } from '@coffer/contracts';

export interface CredentialSummary {
  id: string;
  kind: 'secret' | 'ed25519';
  /** The Ed25519 public key (nkey), to refuse adding the same key twice. */
  publicKey?: string;
  /** A client secret's stored hash, so that replacing it is a compare-and-set (RehashCredential). */
  hash?: string;
}

export type PrincipalState =
  | { exists: false; sequence: number }
  | { exists: true; id: string; name: string; type: PrincipalType; enabled: boolean; credentials: CredentialSummary[]; sequence: number };

export const noPrincipal = (sequence = 0): PrincipalState => ({ exists: false, sequence });
