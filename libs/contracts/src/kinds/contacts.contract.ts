import { CONTACTS_CHANGE_TYPES, CONTACTS_EVENTS } from '../events/contacts-events';
import { contractKind, eventKind, KV_ACTIONS } from './contract-kind';

export * from '../events/contacts-events';

export const CONTACTS_OPS = ['set', 'get', 'delete'] as const;
export type ContactsOp = (typeof CONTACTS_OPS)[number];

/** A vault's certificate contacts: one event subject per vault (`coffer.events.<vault>.certificatecontacts`). */
export const CONTACTS_CONTRACT = contractKind({
  events: eventKind(CONTACTS_EVENTS, CONTACTS_CHANGE_TYPES),
  requests: { token: 'contacts', ops: CONTACTS_OPS },
  stream: { token: 'certificatecontacts', shape: 'vault' },
  actions: {
    certificateContactsWrite: `${KV_ACTIONS}/certificatecontacts/write`,
  },
});
