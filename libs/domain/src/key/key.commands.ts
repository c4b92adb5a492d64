import { Curve, ExpiryNoticeKind, KeyOp, KeyRotationPolicyRecord, KeyType, KeyVersionAttributes, KeyVersionRecord, LifetimeAction, PublicKeyMaterial } from '@coffer/contracts';

/** A version whose HSM objects already exist (generated or imported by the crypto-worker). */
export interface NewKeyVersion {
  version: string;
  hsmKeyId: string;
  kty: KeyType;
  keySize?: number;
  crv?: Curve;
  keyOps: KeyOp[];
  publicKey: PublicKeyMaterial;
  attributes: KeyVersionAttributes;
  tags?: Record<string, string>;
}

/** Creates a key, or a new version of an existing one (as Azure's create does). */
export interface CreateKey {
  type: 'CreateKey';
  name: string;
  key: NewKeyVersion;
  now: Date;
}

export interface ImportKey {
  type: 'ImportKey';
  name: string;
  key: NewKeyVersion;
  now: Date;
}

/** A new version generated like the current one; only its HSM id and public half are new. */
export interface RotateKey {
  type: 'RotateKey';
  name: string;
  version: string;
  hsmKeyId: string;
  publicKey: PublicKeyMaterial;
  /** Check-and-set: the current version (or sequence) the caller saw. */
  ifMatch?: string;
  now: Date;
}

export interface UpdateKeyAttributes {
  type: 'UpdateKeyAttributes';
  name: string;
  /** Omitted: the current version. */
  version?: string;
  keyOps?: KeyOp[];
  attributes?: Partial<KeyVersionAttributes>;
  tags?: Record<string, string>;
  ifMatch?: string;
  now: Date;
}

export interface DeleteKey {
  type: 'DeleteKey';
  name: string;
  retentionDays: number;
  recoveryId: string;
  now: Date;
}

export interface RecoverKey {
  type: 'RecoverKey';
  name: string;
  now: Date;
}

export interface PurgeKey {
  type: 'PurgeKey';
  name: string;
  purgeProtection: boolean;
  now: Date;
}

export interface SetKeyRotationPolicy {
  type: 'SetKeyRotationPolicy';
  name: string;
  lifetimeActions: LifetimeAction[];
  expiryTime?: string;
  now: Date;
}

/** Restores every version of a backup; their HSM objects were restored under fresh ids first. */
export interface RestoreKey {
  type: 'RestoreKey';
  name: string;
  versions: KeyVersionRecord[];
  rotationPolicy?: KeyRotationPolicyRecord;
  now: Date;
}

/**
 * Records that a version's expiry is near or past; sent by the scheduler. `windowMs` is the
 * caller's warning window, used only when the key's rotation policy has no Notify action.
 */
export interface NotifyKeyExpiry {
  type: 'NotifyKeyExpiry';
  name: string;
  version: string;
  kind: ExpiryNoticeKind;
  windowMs: number;
  now: Date;
}

export type KeyCommand =
  | CreateKey
  | ImportKey
  | RotateKey
  | UpdateKeyAttributes
  | DeleteKey
  | RecoverKey
  | PurgeKey
  | SetKeyRotationPolicy
  | RestoreKey
  | NotifyKeyExpiry;
