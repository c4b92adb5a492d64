import { SecretEvent, SecretVersionRecord } from '@coffer/contracts';
import { UnprojectableEventError } from '../read-model.errors';
import { Sql } from '../sql-statements';
import { NamedSubject } from '../event-subject';
import { kindProjections, ProjectionContext } from './event-projection';

/** The row parameters of a secret version (secret_versions). */
function versionParams(sql: Sql, vault: string, name: string, r: SecretVersionRecord, ordinal: number): unknown[] {
  return [
    vault, name, r.version, ordinal, JSON.stringify(r.value), r.value.dek, sql.bool(r.attributes.enabled),
    r.attributes.nbf ?? null, r.attributes.exp ?? null, r.contentType ?? null, r.tags ? JSON.stringify(r.tags) : null, r.created, r.updated,
  ];
}

/** Adds a version and makes it the current one (a new secret's first); a certificate's versions write their secret half so too. */
export async function writeSecretVersion(ctx: ProjectionContext, vault: string, name: string, d: SecretVersionRecord): Promise<void> {
  const { run, sql, sequence } = ctx;
  const { s } = sql;
  const [secret] = (await run(s.secretVersionCount, [vault, name])) as { versionCount: number }[];
  const ordinal = (secret?.versionCount ?? 0) + 1;
  if (secret) await run(s.secretSetCurrent, [d.version, sequence, d.value.dek, ordinal, d.updated, vault, name]);
  else await run(s.secretUpsert, [vault, name, 'active', d.version, sequence, d.value.dek, 1, d.created, d.updated, null, null, null]);
  await run(s.versionUpsert, versionParams(sql, vault, name, d, ordinal));
}

/** Secret events → secrets and secret_versions. */
export const SECRET_PROJECTIONS = kindProjections<SecretEvent, NamedSubject<'secret'>>('secret', (subject, event) => event.data.name === subject.name, {
  SecretSet: async ({ data }, { vault, name }, ctx) => {
    await writeSecretVersion(ctx, vault, name, data);
  },
  SecretAttributesUpdated: async ({ data: d }, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.versionAttributes, [
      sql.bool(d.attributes.enabled), d.attributes.nbf ?? null, d.attributes.exp ?? null, d.contentType ?? null,
      d.tags ? JSON.stringify(d.tags) : null, d.updated, vault, name, d.version,
    ]);
    await run(sql.s.secretTouch, [sequence, d.updated, vault, name]);
  },
  SecretDeleted: async ({ data: d }, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.secretDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, sequence, vault, name]);
  },
  SecretRecovered: async (_event, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.secretRecover, [sequence, vault, name]);
  },
  SecretPurged: async (_event, { vault, name }, { run, sql }) => {
    await run(sql.s.versionsPurge, [vault, name]);
    await run(sql.s.secretPurge, [vault, name]);
  },
  SecretRestored: async (event, { vault, name }, { run, sql, sequence }) => {
    const d = event.data;
    const first = d.versions[0];
    const last = d.versions[d.versions.length - 1];
    if (!first || !last) throw new UnprojectableEventError(`${event.type} carries no versions`);
    // A restore recreates the object from its backup: whatever was there is replaced.
    await run(sql.s.versionsPurge, [vault, name]);
    await run(sql.s.secretUpsert, [vault, name, 'active', last.version, sequence, last.value.dek, d.versions.length, first.created, d.restored, null, null, null]);
    for (const [i, v] of d.versions.entries()) await run(sql.s.versionUpsert, versionParams(sql, vault, name, v, i + 1));
  },
  SecretExpiryNotified: async ({ data: d }, { vault, name }, { run, lifecycleSql: l, sequence }) => {
    await run(d.kind === 'Expired' ? l.secretExpiredNotified : l.secretNearExpiryNotified, [d.exp, vault, name, d.version]);
    await run(l.secretTouchSequence, [sequence, vault, name]);
  },
});
