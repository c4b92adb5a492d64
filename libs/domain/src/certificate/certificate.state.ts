import { CertificatePolicy, CertificateVersionAttributes, PendingCertificateRecord } from '@coffer/contracts';
import { ExpiryNotices } from '../lifecycle/expiry-notice.rules';

/** What commands need of one certificate version. */
export interface CertificateVersionState {
  version: string;
  attributes: CertificateVersionAttributes;
  tags?: Record<string, string>;
  /** Expiry notices already recorded (NearExpiry: the exp it was recorded for). */
  notices?: ExpiryNotices;
}

/**
 * Decision state of one certificate, loaded in O(1) from the read model (head, addressed version,
 * and for a deleted certificate the HSM keys and data keys a purge takes with it; see
 * @coffer/read-model's decision-state). `sequence` is the stream sequence of the object's last event.
 * A certificate whose only operation is still pending is 'active' with no currentVersion.
 */
export interface CertificateState {
  status: 'absent' | 'active' | 'deleted';
  sequence: number;
  currentVersion?: string;
  policy?: CertificatePolicy;
  pending?: PendingCertificateRecord;
  deletedDate?: string;
  scheduledPurgeDate?: string;
  /** Every version's HSM key id (and the pending one): what a purge destroys. */
  hsmKeyIds: string[];
  /** Keyring sequences of the secret's data keys: what a purge shreds. */
  deks: number[];
  versions: Record<string, CertificateVersionState>;
}

export const absentCertificate = (sequence = 0): CertificateState => ({ status: 'absent', sequence, hsmKeyIds: [], deks: [], versions: {} });
