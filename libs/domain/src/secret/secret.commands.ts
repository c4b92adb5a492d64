import { EncryptedValue, SecretVersionAttributes, SecretVersionRecord } from '@coffer/contracts';

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

export type SecretCommand = SetSecret | UpdateSecretAttributes | DeleteSecret | RecoverSecret | PurgeSecret | RestoreSecret;
