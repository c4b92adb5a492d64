import { Curve, KeyOp, KeyRotationPolicyRecord, KeyType, KeyVersionAttributes, PublicKeyMaterial } from '@coffer/contracts';
import { ExpiryNotices } from '../lifecycle/expiry-notice.rules';

/** What the decider and the operation rules need to know about one key version. */
export interface KeyVersionState {
  version: string;
  hsmKeyId: string;
  kty: KeyType;
  keySize?: number;
  crv?: Curve;
  keyOps: KeyOp[];
  publicKey: PublicKeyMaterial;
  attributes: KeyVersionAttributes;
  tags?: Record<string, string>;
  /** Expiry notices already recorded (only when loaded for a notice). */
  notices?: ExpiryNotices;
}

/**
 * The decision state of one key. Loaded from the read model in O(1) (the head, the addressed
 * version and, when a command needs them, the rotation policy or every version's HSM key id).
 * `sequence` is the stream sequence of the object's last event (0: never existed), used as the
 * expected last subject sequence when appending.
 */
export interface KeyState {
  status: 'absent' | 'active' | 'deleted';
  sequence: number;
  currentVersion?: string;
  deletedDate?: string;
  scheduledPurgeDate?: string;
  /** HSM key ids of every version (what a purge destroys). */
  hsmKeyIds: string[];
  versions: Record<string, KeyVersionState>;
  rotationPolicy?: KeyRotationPolicyRecord;
  /** Set for the key of a certificate: key commands refuse it (see assertNotManaged). */
  managedBy?: string;
}

export const absentKey = (sequence = 0): KeyState => ({ status: 'absent', sequence, hsmKeyIds: [], versions: {} });
