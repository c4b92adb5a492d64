import { CertificatesReadModel1774828800000 } from '../migrations/1774828800000-certificates-read-model.migration';
import { CertificateNotices1777507200000 } from '../migrations/1777507200000-certificate-notices.migration';
import { CERTIFICATE_PROJECTIONS } from '../projections/certificate.projection';
import { CONTACTS_PROJECTIONS } from '../projections/contacts.projection';
import { ISSUER_PROJECTIONS } from '../projections/issuer.projection';
import {
  certificateContactsTable, certificateIssuersTable, certificateRevocationsTable, certificatesTable, certificateVersionsTable,
} from '../tables/certificate.tables';
import { ReadModelKind } from './read-model-kind';

export * from '../tables/certificate.tables';
export * from '../decision-state/certificate.decision-state';
export * from '../decision-state/issuer.decision-state';
export * from '../decision-state/contacts.decision-state';
export * from '../certificate.queries';

/** Certificates with their vault's issuers and contacts (subjects of their own). */
export const CERTIFICATE_READ_MODEL: ReadModelKind = {
  subjects: [
    { token: 'certificate', kind: 'certificate', shape: 'named' },
    { token: 'issuer', kind: 'issuer', shape: 'named' },
    { token: 'certificatecontacts', kind: 'certificateContacts', shape: 'vault' },
  ],
  tables: [certificatesTable, certificateVersionsTable, certificateIssuersTable, certificateRevocationsTable, certificateContactsTable],
  migrations: [CertificatesReadModel1774828800000, CertificateNotices1777507200000],
  projections: { ...CERTIFICATE_PROJECTIONS, ...ISSUER_PROJECTIONS, ...CONTACTS_PROJECTIONS },
  // A certificate's purge takes its key and secret with it.
  purgeable: { objects: 'certificates', heads: certificatesTable, skipManaged: false },
};
