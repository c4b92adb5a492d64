import { badParameter, CertificateContact, CertificateContactsDeleted, CertificateContactsSet, ContactsEvent, EVENT_VERSIONS, InnerErrorCodes, notFound } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { NewEvent } from '../new-event';

/** The vault's certificate contacts (who EmailContacts lifetime actions notify). */
export interface ContactsState {
  sequence: number;
  contacts: CertificateContact[];
}

export type ContactsCommand =
  | { type: 'SetContacts'; contacts: CertificateContact[]; now: Date }
  | { type: 'DeleteContacts'; now: Date };

/** The event each command decides (a writer types a command's outcome by it). */
export interface ContactsDecisions extends Decisions<ContactsCommand, ContactsEvent> {
  SetContacts: CertificateContactsSet;
  DeleteContacts: CertificateContactsDeleted;
}

export function decideContacts(command: ContactsCommand, state: ContactsState): NewEvent<ContactsEvent>[] {
  switch (command.type) {
    case 'SetContacts': {
      const emails = command.contacts.map((c) => c.email.toLowerCase());
      if (new Set(emails).size !== emails.length) throw badParameter('contacts must not list an email twice.');
      return [{ type: 'CertificateContactsSet', version: EVENT_VERSIONS.CertificateContactsSet, data: { contacts: command.contacts, updated: command.now.toISOString() } }];
    }
    case 'DeleteContacts':
      if (state.contacts.length === 0) throw notFound('The vault has no certificate contacts.', InnerErrorCodes.ContactsNotFound);
      return [{ type: 'CertificateContactsDeleted', version: EVENT_VERSIONS.CertificateContactsDeleted, data: { deleted: command.now.toISOString() } }];
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as ContactsCommand).type}`);
    }
  }
}
