import { CertificateContact } from '@coffer/contracts';
import { ContactsState } from '@coffer/domain';
import { CertificateReadModel } from '../certificate.queries';
import { CertificateContactsRow } from '../tables/certificate.tables';

export function contactsDecisionState(row: CertificateContactsRow): ContactsState {
  return { sequence: row.sequence, contacts: JSON.parse(row.contacts) as CertificateContact[] };
}

/** Reads a vault's certificate contacts as the decider wants them; null without a row (none set, or deleted). */
export async function readContactsDecisionState(certificates: CertificateReadModel, vault: string): Promise<ContactsState | null> {
  const row = await certificates.getContacts(vault);
  return row && contactsDecisionState(row);
}
