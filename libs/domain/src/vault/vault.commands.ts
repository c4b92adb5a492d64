export interface CreateVault {
  type: 'CreateVault';
  name: string;
  kekId: string;
  retentionDays: number;
  purgeProtection: boolean;
  now: Date;
}

export interface UpdateVault {
  type: 'UpdateVault';
  name: string;
  retentionDays?: number;
  purgeProtection?: boolean;
  now: Date;
}

export type VaultCommand = CreateVault | UpdateVault;
