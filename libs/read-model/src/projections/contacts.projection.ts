import { ContactsEvent } from '@coffer/contracts';
import { VaultSubject } from '../event-subject';
import { kindProjections } from './event-projection';

/** Contacts events → certificate_contacts (one row per vault, on the vault's contacts subject). */
export const CONTACTS_PROJECTIONS = kindProjections<ContactsEvent, VaultSubject<'certificateContacts'>>('certificateContacts', () => true, {
  CertificateContactsSet: async ({ data: d }, { vault }, { run, certificateSql: c, sequence }) => {
    await run(c.contactsUpsert, [vault, JSON.stringify(d.contacts), sequence, d.updated]);
  },
  CertificateContactsDeleted: async (_event, { vault }, { run, certificateSql: c }) => {
    await run(c.contactsDelete, [vault]);
  },
});
