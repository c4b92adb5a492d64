import { SecretVersionAttributes } from '@coffer/contracts';
import { ExpiryNotices } from '../lifecycle/expiry-notice.rules';

/** What the decider needs to know about one version. */
export interface SecretVersionState {
  version: string;
  attributes: SecretVersionAttributes;
  contentType?: string;
  tags?: Record<string, string>;
  /** Expiry notices already recorded (only when loaded for a notice). */
  notices?: ExpiryNotices;
}

/**
 * The decision state of one secret. Loaded from the read model in O(1) (the head and, for
 * version commands, the addressed version).
 * `sequence` is the stream sequence of the object's last event (0: never existed), used as the
 * expected last subject sequence when appending.
 */
export interface SecretState {
  status: 'absent' | 'active' | 'deleted';
  sequence: number;
  currentVersion?: string;
  deletedDate?: string;
  scheduledPurgeDate?: string;
  /** Keyring sequences of every data key the object's versions use (erased on purge). */
  deks: number[];
  versions: Record<string, SecretVersionState>;
  /** Set for the secret of a certificate: secret commands refuse it (see assertNotManaged). */
  managedBy?: string;
}

export const absentSecret = (sequence = 0): SecretState => ({ status: 'absent', sequence, deks: [], versions: {} });
