import { CertificateEvent, CertificateVersionParts } from '@coffer/contracts';
import { NamedSubject } from '../event-subject';
import { kindProjections, ProjectionContext } from './event-projection';
import { writeKeyVersion } from './key.projection';
import { writeSecretVersion } from './secret.projection';

const json = (x: unknown) => JSON.stringify(x);
type CertificateHead = { versionCount: number; policy: string; currentVersion: string | null };

async function head({ run, certificateSql: c }: ProjectionContext, vault: string, name: string): Promise<CertificateHead | undefined> {
  return (await run(c.certGet, [vault, name]))[0] as CertificateHead | undefined;
}

/**
 * A new current version: the certificate's row, and its key and secret halves written as a new key
 * and secret version would be (marked `managedBy`), all in the caller's transaction, so a version
 * appears whole or not at all. `policy`: the JSON to keep, or the current one.
 */
async function addVersion(ctx: ProjectionContext, vault: string, name: string, parts: CertificateVersionParts, policy: string | undefined): Promise<void> {
  const { run, sql, certificateSql: c, sequence } = ctx;
  const cert = parts.certificate;
  const row = await head(ctx, vault, name);
  const ordinal = (row?.versionCount ?? 0) + 1;
  const policyJson = policy ?? row?.policy ?? '{}';
  if (row) await run(c.certSetCurrent, [cert.version, sequence, ordinal, policyJson, cert.updated, vault, name]);
  else await run(c.certUpsert, [vault, name, 'active', cert.version, sequence, 1, policyJson, null, cert.created, cert.updated, null, null, null]);
  await run(c.versionUpsert, [
    vault, name, cert.version, ordinal, cert.cer, cert.x5t, cert.serialNumber, cert.subject, cert.issuer, json(cert.chain), sql.bool(cert.attributes.enabled),
    cert.attributes.nbf, cert.attributes.exp, cert.tags ? json(cert.tags) : null, cert.created, cert.updated,
  ]);
  await writeKeyVersion(ctx, vault, name, parts.key);
  await run(c.keyManaged, [vault, name]);
  await writeSecretVersion(ctx, vault, name, parts.secret);
  await run(c.secretManaged, [vault, name]);
}

/** The certificate goes with its key and secret. */
async function purge({ run, sql: { s }, certificateSql: c }: ProjectionContext, vault: string, name: string): Promise<void> {
  await run(c.versionsPurge, [vault, name]);
  await run(c.certPurge, [vault, name]);
  await run(s.keyPolicyPurge, [vault, name]);
  await run(s.keyVersionsPurge, [vault, name]);
  await run(s.keyPurge, [vault, name]);
  await run(s.versionsPurge, [vault, name]);
  await run(s.secretPurge, [vault, name]);
}

/** Deletion and recovery carry over to the certificate's key and secret: [status, deletedDate, scheduledPurgeDate, recoveryId]. */
async function setStatus({ run, certificateSql: c }: ProjectionContext, vault: string, name: string, values: [string, string | null, string | null, string | null]): Promise<void> {
  await run(c.keyStatus, [...values, vault, name]);
  await run(c.secretStatus, [...values, vault, name]);
}

/** Certificate events → certificates and certificate_versions, plus the key and secret rows of each version. */
export const CERTIFICATE_PROJECTIONS = kindProjections<CertificateEvent, NamedSubject<'certificate'>>('certificate', (subject, event) => event.data.name === subject.name, {
  CertIssued: async ({ data: d }, { vault }, ctx) => {
    await addVersion(ctx, vault, d.name, d, json(d.policy));
  },
  CertificateImported: async ({ data: d }, { vault }, ctx) => {
    await addVersion(ctx, vault, d.name, d, json(d.policy));
  },
  CertificateMerged: async ({ data: d }, { vault }, ctx) => {
    await addVersion(ctx, vault, d.name, d, undefined);
  },
  CertificateOperationStarted: async ({ data: d }, { vault }, ctx) => {
    const { run, certificateSql: c, sequence } = ctx;
    if (await head(ctx, vault, d.name)) await run(c.certSetPending, [json(d.pending), json(d.policy), sequence, vault, d.name]);
    else await run(c.certUpsert, [vault, d.name, 'active', null, sequence, 0, json(d.policy), json(d.pending), d.pending.created, d.pending.created, null, null, null]);
  },
  CertificateOperationCancelled: async ({ data: d }, { vault }, ctx) => {
    const row = await head(ctx, vault, d.name);
    // A certificate that never got a version goes with its only operation.
    if (row && row.currentVersion === null) await purge(ctx, vault, d.name);
    else if (row) await ctx.run(ctx.certificateSql.certSetPending, [null, row.policy, ctx.sequence, vault, d.name]);
  },
  CertificatePolicySet: async ({ data: d }, { vault }, { run, certificateSql: c, sequence }) => {
    await run(c.certSetPolicy, [json(d.policy), sequence, vault, d.name]);
  },
  CertificateAttributesUpdated: async ({ data: d }, { vault }, { run, sql, certificateSql: c, sequence }) => {
    await run(c.versionAttributes, [sql.bool(d.attributes.enabled), d.tags ? json(d.tags) : null, d.updated, vault, d.name, d.version]);
    await run(c.certTouch, [sequence, d.updated, vault, d.name]);
  },
  CertificateDeleted: async ({ data: d }, { vault }, ctx) => {
    await ctx.run(ctx.certificateSql.certDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, ctx.sequence, vault, d.name]);
    await setStatus(ctx, vault, d.name, ['deleted', d.deletedDate, d.scheduledPurgeDate, d.recoveryId]);
  },
  CertificateRecovered: async ({ data: d }, { vault }, ctx) => {
    await ctx.run(ctx.certificateSql.certRecover, [ctx.sequence, vault, d.name]);
    await setStatus(ctx, vault, d.name, ['active', null, null, null]);
  },
  CertificatePurged: async ({ data: d }, { vault }, ctx) => {
    await purge(ctx, vault, d.name);
  },
  CertificateRestored: async ({ data: d }, { vault }, ctx) => {
    // A restore recreates the object from its backup: whatever was there is replaced.
    await purge(ctx, vault, d.name);
    for (const parts of d.versions) await addVersion(ctx, vault, d.name, parts, json(d.policy));
    await ctx.run(ctx.certificateSql.certTouch, [ctx.sequence, d.restored, vault, d.name]);
  },
  CertificateExpiryNotified: async ({ data: d }, { vault }, { run, certificateSql: c, sequence }) => {
    // As a key's or secret's notice: the exp it was recorded for, and the head's sequence (nothing else changes).
    await run(c.versionNearExpiryNotified, [d.exp, vault, d.name, d.version]);
    await run(c.certTouchSequence, [sequence, vault, d.name]);
  },
});
