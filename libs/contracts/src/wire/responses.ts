/** Reply bodies of the public subjects. Times are ISO 8601 strings. */
export type RecoveryLevel = 'Recoverable+Purgeable' | 'Recoverable';

export interface SecretAttributes {
  enabled: boolean;
  nbf?: string;
  exp?: string;
  created: string;
  updated: string;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
}

/** An item in a list: no value. `id` ends in the name (lists of secrets) or the version (lists of versions). */
export interface SecretItem {
  id: string;
  name: string;
  version?: string;
  attributes: SecretAttributes;
  contentType?: string;
  tags?: Record<string, string>;
}

export interface SecretBundle extends SecretItem {
  version: string;
  value: string;
  /** The object's sequence after this change: pass it back as ifMatch for check-and-set. */
  sequence: number;
}

export interface DeletedSecretItem extends SecretItem {
  recoveryId: string;
  deletedDate: string;
  scheduledPurgeDate: string;
}

export type DeletedSecretBundle = DeletedSecretItem & Omit<SecretBundle, 'value'>;

export interface Page<T> {
  value: T[];
  continuationToken?: string;
}

export interface VaultInfo {
  id: string;
  name: string;
  retentionDays: number;
  purgeProtection: boolean;
  recoveryLevel: RecoveryLevel;
  created: string;
  updated: string;
}

export interface BackupBlob {
  value: string;
}

export interface PurgeResult {
  name: string;
  purged: string;
}

export interface ComponentStatus {
  ok: boolean;
  detail?: string;
}

export interface StatusReply {
  vault: ComponentStatus & { version: string };
  cryptoWorker: ComponentStatus & { token?: string; sessions?: number };
  projector: ComponentStatus & { checkpoint?: number; lastSequence?: number; lag?: number };
  /** The audit service: records chained, records not chained yet, and how full its stores are. */
  audit: ComponentStatus & { count?: number; lag?: number; storage?: AuditStorageStatus };
  /** The lifecycle scheduler (any replica answers): whether it leads, its scans; absent from vaults that predate it. */
  scheduler?: ComponentStatus & { leader?: boolean; scans?: number; lastScanAt?: string };
}

/** Use of one audit store against its configured limit (limit 0: none). */
export interface AuditStoreUsage {
  used: number;
  limit: number;
  /** used / limit in percent (0 without a limit). */
  percent: number;
}

/**
 * How full the audit stores are. At `full` (any store at its limit) requests fail with
 * ServiceUnavailable/AuditStoreFull rather than go unaudited; `near-full` from the configured
 * percentage on.
 */
export interface AuditStorageStatus {
  alert: 'ok' | 'near-full' | 'full';
  streamBytes: AuditStoreUsage;
  streamMessages: AuditStoreUsage;
  checkpointBytes: AuditStoreUsage;
  databaseBytes: AuditStoreUsage;
}
