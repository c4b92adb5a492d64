import { changeOf } from '../changes/change-spec';
import { CertificateContact } from '../certificates/certificate-wire';
import { EventCatalogue } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { isObj, isStr, needStrings, unless } from './shape-checks';

export type CertificateContactsSet = EventEnvelope<'CertificateContactsSet', { contacts: CertificateContact[]; updated: string }>;
export type CertificateContactsDeleted = EventEnvelope<'CertificateContactsDeleted', { deleted: string }>;
export type ContactsEvent = CertificateContactsSet | CertificateContactsDeleted;

/** The change-feed types of contacts events (see CHANGE_EVENT_TYPES). */
export const CONTACTS_CHANGE_TYPES = ['CertificateContactsChanged'] as const;
/** The contacts are a vault-level certificate setting: their change id is /certificates/contacts. */
const changes = () => [changeOf<(typeof CONTACTS_CHANGE_TYPES)[number]>('Certificate')('CertificateContactsChanged', 'contacts')];

/** Contacts events (subject `coffer.events.<vault>.certificatecontacts`): schema, shape check, change feed. */
export const CONTACTS_EVENTS: EventCatalogue<ContactsEvent> = {
  CertificateContactsSet: {
    version: 1,
    shape: (d) => needStrings(d, ['updated']) || unless(Array.isArray(d.contacts) && d.contacts.every((c) => isObj(c) && isStr(c.email)), 'contacts are malformed'),
    changes,
  },
  CertificateContactsDeleted: { version: 1, shape: (d) => needStrings(d, ['deleted']), changes },
};
