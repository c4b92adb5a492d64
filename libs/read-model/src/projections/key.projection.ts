import { KeyEvent, KeyRotationPolicyRecord, KeyVersionAdded, KeyVersionRecord } from '@coffer/contracts';
import { UnprojectableEventError } from '../read-model.errors';
import { Sql } from '../sql-statements';
import { NamedSubject } from '../event-subject';
import { kindProjections, Projection, ProjectionContext } from './event-projection';

/** The row parameters of a key version (key_versions). */
function keyVersionParams(sql: Sql, vault: string, name: string, r: KeyVersionRecord, ordinal: number): unknown[] {
  return [
    vault, name, r.version, ordinal, r.hsmKeyId, r.kty, r.keySize ?? null, r.crv ?? null, JSON.stringify(r.keyOps), JSON.stringify(r.publicKey),
    sql.bool(r.attributes.enabled), r.attributes.nbf ?? null, r.attributes.exp ?? null, r.tags ? JSON.stringify(r.tags) : null, r.created, r.updated,
  ];
}

const keyPolicyParams = (vault: string, name: string, p: KeyRotationPolicyRecord): unknown[] =>
  [vault, name, JSON.stringify(p.lifetimeActions), p.expiryTime ?? null, p.created, p.updated];

/** Adds a version and makes it the current one (a new key's first); a certificate's versions write their key half so too. */
export async function writeKeyVersion(ctx: ProjectionContext, vault: string, name: string, d: KeyVersionRecord): Promise<void> {
  const { run, sql, sequence } = ctx;
  const { s } = sql;
  const [key] = (await run(s.keyVersionCount, [vault, name])) as { versionCount: number }[];
  const ordinal = (key?.versionCount ?? 0) + 1;
  if (key) await run(s.keySetCurrent, [d.version, sequence, ordinal, d.updated, vault, name]);
  else await run(s.keyUpsert, [vault, name, 'active', d.version, sequence, 1, d.created, d.updated, null, null, null]);
  await run(s.keyVersionUpsert, keyVersionParams(sql, vault, name, d, ordinal));
}

const versionAdded: Projection<KeyVersionAdded, NamedSubject<'key'>> = async ({ data }, { vault, name }, ctx) => {
  await writeKeyVersion(ctx, vault, name, data);
};

/** Key events → keys, key_versions and key_rotation_policies. */
export const KEY_PROJECTIONS = kindProjections<KeyEvent, NamedSubject<'key'>>('key', (subject, event) => event.data.name === subject.name, {
  KeyCreated: versionAdded,
  KeyImported: versionAdded,
  KeyRotated: versionAdded,
  KeyAttributesUpdated: async ({ data: d }, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.keyVersionAttributes, [
      JSON.stringify(d.keyOps), sql.bool(d.attributes.enabled), d.attributes.nbf ?? null, d.attributes.exp ?? null,
      d.tags ? JSON.stringify(d.tags) : null, d.updated, vault, name, d.version,
    ]);
    await run(sql.s.keyTouch, [sequence, d.updated, vault, name]);
  },
  KeyDeleted: async ({ data: d }, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.keyDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, sequence, vault, name]);
  },
  KeyRecovered: async (_event, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.keyRecover, [sequence, vault, name]);
  },
  KeyPurged: async (_event, { vault, name }, { run, sql }) => {
    await run(sql.s.keyPolicyPurge, [vault, name]);
    await run(sql.s.keyVersionsPurge, [vault, name]);
    await run(sql.s.keyPurge, [vault, name]);
  },
  KeyRotationPolicySet: async ({ data: policy }, { vault, name }, { run, sql, sequence }) => {
    await run(sql.s.keyPolicyUpsert, keyPolicyParams(vault, name, policy));
    await run(sql.s.keyTouchSequence, [sequence, vault, name]);
  },
  KeyRestored: async (event, { vault, name }, { run, sql, sequence }) => {
    const d = event.data;
    const first = d.versions[0];
    const last = d.versions[d.versions.length - 1];
    if (!first || !last) throw new UnprojectableEventError(`${event.type} carries no versions`);
    // A restore recreates the object from its backup: whatever was there is replaced.
    await run(sql.s.keyPolicyPurge, [vault, name]);
    await run(sql.s.keyVersionsPurge, [vault, name]);
    await run(sql.s.keyUpsert, [vault, name, 'active', last.version, sequence, d.versions.length, first.created, d.restored, null, null, null]);
    for (const [i, v] of d.versions.entries()) await run(sql.s.keyVersionUpsert, keyVersionParams(sql, vault, name, v, i + 1));
    if (d.rotationPolicy) await run(sql.s.keyPolicyUpsert, keyPolicyParams(vault, name, d.rotationPolicy));
  },
  KeyExpiryNotified: async ({ data: d }, { vault, name }, { run, lifecycleSql: l, sequence }) => {
    await run(d.kind === 'Expired' ? l.keyExpiredNotified : l.keyNearExpiryNotified, [d.exp, vault, name, d.version]);
    await run(l.keyTouchSequence, [sequence, vault, name]);
  },
});
