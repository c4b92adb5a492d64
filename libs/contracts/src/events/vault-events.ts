import { EventEnvelope } from './event-envelope';

export interface VaultSettings {
  retentionDays: number;
  purgeProtection: boolean;
}

export type VaultCreated = EventEnvelope<'VaultCreated', { name: string; kekId: string; created: string } & VaultSettings>;
export type VaultUpdated = EventEnvelope<'VaultUpdated', { name: string; updated: string } & VaultSettings>;
export type VaultEvent = VaultCreated | VaultUpdated;
