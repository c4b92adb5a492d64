import { EncryptedValue, ExpiryNoticeKind, SecretVersionAttributes, SecretVersionRecord } from '@coffer/contracts';

export interface SetSecret {
  type: 'SetSecret';
  name: string;
  version: string;
  value: EncryptedValue;
  attributes: SecretVersionAttributes;
  contentType?: string;
  tags?: Record<string, string>;
  ifMatch?: string;
  now: Date;
}

export interface UpdateSecretAttributes {
  type: 'UpdateSecretAttributes';
  name: string;
  /** Omitted: the current version. */
  version?: string;
  attributes?: Partial<SecretVersionAttributes>;
  contentType?: string;
  tags?: Record<string, string>;
  ifMatch?: string;
  now: Date;
}

export interface DeleteSecret {
  type: 'DeleteSecret';
  name: string;
  retentionDays: number;
  recoveryId: string;
  now: Date;
}

export interface RecoverSecret {
  type: 'RecoverSecret';
  name: string;
  now: Date;
}

export interface PurgeSecret {
  type: 'PurgeSecret';
  name: string;
  purgeProtection: boolean;
  now: Date;
}

export interface RestoreSecret {
  type: 'RestoreSecret';
  name: string;
  versions: SecretVersionRecord[];
  now: Date;
}

/** Records that a version's expiry is near (within `windowMs`) or past; sent by the scheduler. */
export interface NotifySecretExpiry {
  type: 'NotifySecretExpiry';
  name: string;
  version: string;
  kind: ExpiryNoticeKind;
  windowMs: number;
  now: Date;
}

export type SecretCommand = SetSecret | UpdateSecretAttributes | DeleteSecret | RecoverSecret | PurgeSecret | RestoreSecret | NotifySecretExpiry;
