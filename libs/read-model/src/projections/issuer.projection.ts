import { IssuerEvent } from '@coffer/contracts';
import { NamedSubject } from '../event-subject';
import { kindProjections } from './event-projection';

/** Issuer events → certificate_issuers and certificate_revocations. */
export const ISSUER_PROJECTIONS = kindProjections<IssuerEvent, NamedSubject<'issuer'>>(
  'issuer',
  (subject, event) => subject.name === (event.type === 'IssuerCreated' ? event.data.name : event.data.issuer),
  {
    IssuerCreated: async ({ data: d }, { vault }, { run, certificateSql: c, sequence }) => {
      await run(c.issuerUpsert, [vault, d.name, JSON.stringify(d), sequence, 0, d.created, d.created]);
    },
    CertificateRevoked: async ({ data: d }, { vault }, { run, certificateSql: c, sequence }) => {
      await run(c.revocationInsert, [vault, d.issuer, d.serialNumber, d.revocationDate, d.reason]);
      await run(c.issuerRevoked, [d.crlNumber, sequence, d.revocationDate, vault, d.issuer]);
    },
  },
);
