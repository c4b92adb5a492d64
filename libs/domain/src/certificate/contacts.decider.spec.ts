import { ErrorCodes, InnerErrorCodes } from '@coffer/contracts';
import { contactsDecider, deciderScenarios } from '@coffer/read-model/testing';
import { ContactsCommand } from './contacts.decider';

const now = new Date('2030-01-01T00:00:00.000Z');
const set = (...emails: string[]): ContactsCommand => ({ type: 'SetContacts', contacts: emails.map((email) => ({ email })), now });
const remove: ContactsCommand = { type: 'DeleteContacts', now };

const { given } = deciderScenarios(contactsDecider());

describe('contacts decider', () => {
  it('sets the contacts, refusing an email listed twice (in any case)', async () => {
    await given().when(set('ops@example.com')).then([{ type: 'CertificateContactsSet', data: { contacts: [{ email: 'ops@example.com' }], updated: now.toISOString() } }]);
    await given().when(set('ops@example.com', 'OPS@example.com')).thenFails(ErrorCodes.BadParameter);
  });

  it('deletes contacts that are set, and refuses when there are none (never set, or deleted)', async () => {
    const setEvents = await given().when(set('ops@example.com')).decided();
    const deleted = await given(...setEvents).when(remove).decided();
    expect(deleted).toMatchObject([{ type: 'CertificateContactsDeleted', data: { deleted: now.toISOString() } }]);
    await given().when(remove).thenFails(ErrorCodes.NotFound, InnerErrorCodes.ContactsNotFound);
    await given(...setEvents, ...deleted).when(remove).thenFails(ErrorCodes.NotFound, InnerErrorCodes.ContactsNotFound);
  });

  it('decides on the contacts and the subject\'s last sequence, also once they are deleted', async () => {
    const setEvents = await given().when(set('ops@example.com')).decided();
    expect(await given(...setEvents).state(remove)).toEqual({ sequence: 1, contacts: [{ email: 'ops@example.com' }] });
    const deleted = await given(...setEvents).when(remove).decided();
    expect(await given(...setEvents, ...deleted).state(remove)).toEqual({ sequence: 2, contacts: [] });
  });
});
