import { changeOf } from '../changes/change-spec';
import { EventCatalogue } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { EventData, isBool, need } from './shape-checks';

export interface VaultSettings {
  retentionDays: number;
  purgeProtection: boolean;
}

export type VaultCreated = EventEnvelope<'VaultCreated', { name: string; kekId: string; created: string } & VaultSettings>;
export type VaultUpdated = EventEnvelope<'VaultUpdated', { name: string; updated: string } & VaultSettings>;
export type VaultEvent = VaultCreated | VaultUpdated;

const settings = (d: EventData) => need(d, ['retentionDays'], Number.isInteger, 'an integer') || need(d, ['purgeProtection'], isBool, 'a boolean');
/** The change-feed types of vault events (see CHANGE_EVENT_TYPES). */
export const VAULT_CHANGE_TYPES = ['VaultCreated', 'VaultUpdated'] as const;
const change = changeOf<(typeof VAULT_CHANGE_TYPES)[number]>('Vault');

/** Vault events (subject `coffer.events.<vault>.vault`): schema, shape check, change feed. */
export const VAULT_EVENTS: EventCatalogue<VaultEvent> = {
  VaultCreated: { version: 1, shape: (d) => need(d, ['name', 'kekId', 'created']) || settings(d), changes: (e) => [change('VaultCreated', e.data.name)] },
  VaultUpdated: { version: 1, shape: (d) => need(d, ['name', 'updated']) || settings(d), changes: (e) => [change('VaultUpdated', e.data.name)] },
};
