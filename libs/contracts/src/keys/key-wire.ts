import { RecoveryLevel } from '../wire/responses';
import { Curve, KeyOp, KeyType } from './key-algorithms';

/**
 * Reply bodies of the key subjects (`coffer.v1.vault.<vault>.key.<op>`), shaped like Azure Key
 * Vault's key bundle: `key` is the public part as a JWK (oct keys show no material). Binary values
 * are base64url without padding. Times are ISO 8601 strings, as for secrets.
 */
export interface JsonWebKey {
  /** `coffer://<vault>/keys/<name>/<version>` */
  kid: string;
  kty: KeyType;
  key_ops: KeyOp[];
  n?: string;
  e?: string;
  crv?: Curve;
  x?: string;
  y?: string;
}

export interface KeyAttributes {
  enabled: boolean;
  nbf?: string;
  exp?: string;
  created: string;
  updated: string;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
  /** false: the key's material can leave the HSM only wrapped by the vault's trusted backup key. */
  exportable: false;
}

/** A key in a list (`kid` ends in the name for lists of keys, the version for lists of versions). */
export interface KeyItem {
  kid: string;
  name: string;
  version?: string;
  kty: KeyType;
  attributes: KeyAttributes;
  tags?: Record<string, string>;
}

export interface KeyBundle {
  key: JsonWebKey;
  name: string;
  version: string;
  attributes: KeyAttributes;
  tags?: Record<string, string>;
  /** The object's sequence after this change: pass it back as ifMatch for check-and-set. */
  sequence: number;
}

export interface DeletedKeyItem extends KeyItem {
  recoveryId: string;
  deletedDate: string;
  scheduledPurgeDate: string;
}
export type DeletedKeyBundle = KeyBundle & { recoveryId: string; deletedDate: string; scheduledPurgeDate: string };

/** Result of sign/encrypt/decrypt/wrapKey/unwrapKey/rewrap: `kid` is the exact version used. */
export interface KeyOperationResult {
  kid: string;
  value: string;
  /** AES-GCM encrypt: the nonce the HSM chose, the tag, and the aad echoed back. */
  iv?: string;
  tag?: string;
  aad?: string;
}

export interface KeyVerifyResult {
  kid: string;
  value: boolean;
}

/** Batch sign/encrypt: one entry per item, in order; an item either succeeded or failed on its own. */
export interface KeyBatchResult {
  kid: string;
  items: Array<{ value: string; iv?: string; tag?: string } | { error: { code: string; message: string } }>;
}

export interface DataKeyResult {
  kid: string;
  /** The data key wrapped under the named key with `alg`. */
  wrapped: string;
  /** The data key itself, unless the request asked for wrapped only. */
  plaintext?: string;
}

export interface RandomBytesResult {
  value: string;
}

export type LifetimeActionType = 'Rotate' | 'Notify';
export interface LifetimeAction {
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
  action: { type: LifetimeActionType };
}
export interface KeyRotationPolicy {
  /** `coffer://<vault>/keys/<name>/rotationpolicy` */
  id: string;
  lifetimeActions: LifetimeAction[];
  attributes: { expiryTime?: string; created?: string; updated?: string };
}
