import { VaultEvent } from '@coffer/contracts';
import { VaultSubject } from '../event-subject';
import { kindProjections } from './event-projection';

/** Vault events → vaults. */
export const VAULT_PROJECTIONS = kindProjections<VaultEvent, VaultSubject<'vault'>>('vault', (subject, event) => event.data.name === subject.vault, {
  VaultCreated: async ({ data: d }, _subject, { run, sql, sequence }) => {
    await run(sql.s.vaultUpsert, [d.name, d.kekId, d.retentionDays, sql.bool(d.purgeProtection), d.created, d.created, sequence]);
  },
  VaultUpdated: async ({ data: d }, _subject, { run, sql, sequence }) => {
    await run(sql.s.vaultUpdate, [d.retentionDays, sql.bool(d.purgeProtection), d.updated, sequence, d.name]);
  },
});
