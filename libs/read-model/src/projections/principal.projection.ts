import { PrincipalEvent } from '@coffer/contracts';
import { SystemSubject } from '../event-subject';
import { kindProjections } from './event-projection';

/** Principal events → principals and principal_credentials. */
export const PRINCIPAL_PROJECTIONS = kindProjections<PrincipalEvent, SystemSubject<'principal'>>(
  'principal',
  (subject, event) => subject.id === ('principalId' in event.data ? event.data.principalId : event.data.id),
  {
    PrincipalCreated: async ({ data: d }, _subject, { run, sql, sequence }) => {
      await run(sql.s.principalUpsert, [d.id, d.name, d.type, sql.bool(true), d.created, sequence, null]);
    },
    PrincipalDisabled: async ({ data: d }, _subject, { run, sql, sequence }) => {
      // Disabling revokes every token issued so far, even if the principal is enabled again later.
      await run(sql.s.principalRevoke, [sql.bool(false), d.disabled, sequence, d.id]);
    },
    PrincipalEnabled: async ({ data: d }, _subject, { run, sql, sequence }) => {
      await run(sql.s.principalEnabled, [sql.bool(true), sequence, d.id]);
    },
    CredentialAdded: async ({ data: { principalId, credential: c } }, _subject, { run, sql, sequence }) => {
      await run(sql.s.credentialUpsert, [
        c.id, principalId, c.kind, c.kind === 'secret' ? c.hash : null, c.kind === 'ed25519' ? c.publicKey : null,
        c.kind === 'secret' ? c.hint : null, c.created, c.expires ?? null,
      ]);
      await run(sql.s.principalTouch, [sequence, principalId]);
    },
    CredentialRemoved: async ({ data: d }, _subject, { run, sql, sequence }) => {
      await run(sql.s.credentialDelete, [d.credentialId, d.principalId]);
      await run(sql.s.principalRevokeKeepEnabled, [d.revokedBefore, sequence, d.principalId]);
    },
    CredentialRehashed: async ({ data: d }, _subject, { run, sql, sequence }) => {
      await run(sql.s.credentialRehash, [d.hash, d.credentialId, d.principalId]);
      await run(sql.s.principalTouch, [sequence, d.principalId]);
    },
  },
);
