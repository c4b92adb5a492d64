import {
  CertificateEvent, CertificateVersionParts, ContactsEvent, DomainEvent, IssuerEvent, KeyVersionRecord, SecretVersionRecord,
} from '@coffer/contracts';
import { EntityManager } from 'typeorm';
import { keyVersionParams, versionParams } from './version-params';
import { certificateSqlFor } from './certificate.sql';
import { EventSubject } from './event-subject.parser';
import { UnprojectableEventError } from './read-model.errors';
import { Sql, sqlFor } from './sql-statements';
import { SqlRunner, sqlRunner } from '@coffer/sql';

type Run = SqlRunner;
type CertificateSide = CertificateEvent | IssuerEvent | ContactsEvent;
const json = (x: unknown) => JSON.stringify(x);

function onSubject(target: EventSubject, event: DomainEvent, kind: 'certificate' | 'issuer', name: string): { vault: string } {
  if (target.kind !== kind || target.name !== name) throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
  return target;
}

/** The key half of a version: as KeyCreated projects it, then marked as the certificate's. */
async function writeKeyVersion(run: Run, sql: Sql, vault: string, name: string, d: KeyVersionRecord, sequence: number): Promise<void> {
  const { s } = sql;
  const [key] = (await run(s.keyVersionCount, [vault, name])) as { versionCount: number }[];
  const ordinal = (key?.versionCount ?? 0) + 1;
  if (key) await run(s.keySetCurrent, [d.version, sequence, ordinal, d.updated, vault, name]);
  else await run(s.keyUpsert, [vault, name, 'active', d.version, sequence, 1, d.created, d.updated, null, null, null]);
  await run(s.keyVersionUpsert, keyVersionParams(sql, vault, name, d, ordinal));
}

/** The secret half: as SecretSet projects it. */
async function writeSecretVersion(run: Run, sql: Sql, vault: string, name: string, d: SecretVersionRecord, sequence: number): Promise<void> {
  const { s } = sql;
  const [secret] = (await run(s.secretVersionCount, [vault, name])) as { versionCount: number }[];
  const ordinal = (secret?.versionCount ?? 0) + 1;
  if (secret) await run(s.secretSetCurrent, [d.version, sequence, d.value.dek, ordinal, d.updated, vault, name]);
  else await run(s.secretUpsert, [vault, name, 'active', d.version, sequence, d.value.dek, 1, d.created, d.updated, null, null, null]);
  await run(s.versionUpsert, versionParams(sql, vault, name, d, ordinal));
}

/**
 * Folds certificate, issuer and contacts events into their rows, and a certificate version's key and
 * secret into the key and secret rows (marked `managedBy`), all in the caller's transaction: a
 * version appears whole or not at all.
 */
export async function applyCertificateEvent(manager: EntityManager, event: CertificateSide, sequence: number, target: EventSubject): Promise<void> {
  const sql = sqlFor(manager.connection);
  const c = certificateSqlFor(manager.connection);
  const { s } = sql;
  const run = sqlRunner(manager);
  const head = async (vault: string, name: string) => (await run(c.certGet, [vault, name]))[0] as { versionCount: number; policy: string; currentVersion: string | null } | undefined;
  const addVersion = async (vault: string, name: string, parts: CertificateVersionParts, policy: string | undefined) => {
    const cert = parts.certificate;
    const row = await head(vault, name);
    const ordinal = (row?.versionCount ?? 0) + 1;
    const policyJson = policy ?? row?.policy ?? '{}';
    if (row) await run(c.certSetCurrent, [cert.version, sequence, ordinal, policyJson, cert.updated, vault, name]);
    else await run(c.certUpsert, [vault, name, 'active', cert.version, sequence, 1, policyJson, null, cert.created, cert.updated, null, null, null]);
    await run(c.versionUpsert, [
      vault, name, cert.version, ordinal, cert.cer, cert.x5t, cert.serialNumber, cert.subject, cert.issuer, json(cert.chain), sql.bool(cert.attributes.enabled),
      cert.attributes.nbf, cert.attributes.exp, cert.tags ? json(cert.tags) : null, cert.created, cert.updated,
    ]);
    await writeKeyVersion(run, sql, vault, name, parts.key, sequence);
    await run(c.keyManaged, [vault, name]);
    await writeSecretVersion(run, sql, vault, name, parts.secret, sequence);
    await run(c.secretManaged, [vault, name]);
  };
  const purge = async (vault: string, name: string) => {
    await run(c.versionsPurge, [vault, name]);
    await run(c.certPurge, [vault, name]);
    await run(s.keyPolicyPurge, [vault, name]);
    await run(s.keyVersionsPurge, [vault, name]);
    await run(s.keyPurge, [vault, name]);
    await run(s.versionsPurge, [vault, name]);
    await run(s.secretPurge, [vault, name]);
  };
  const setStatus = async (vault: string, name: string, values: [string, string | null, string | null, string | null]) => {
    await run(c.keyStatus, [...values, vault, name]);
    await run(c.secretStatus, [...values, vault, name]);
  };

  switch (event.type) {
    case 'CertIssued':
    case 'CertificateImported': {
      const { vault } = onSubject(target, event, 'certificate', event.data.name);
      await addVersion(vault, event.data.name, event.data, json(event.data.policy));
      break;
    }
    case 'CertificateMerged': {
      const { vault } = onSubject(target, event, 'certificate', event.data.name);
      await addVersion(vault, event.data.name, event.data, undefined);
      break;
    }
    case 'CertificateOperationStarted': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      if (await head(vault, d.name)) await run(c.certSetPending, [json(d.pending), json(d.policy), sequence, vault, d.name]);
      else await run(c.certUpsert, [vault, d.name, 'active', null, sequence, 0, json(d.policy), json(d.pending), d.pending.created, d.pending.created, null, null, null]);
      break;
    }
    case 'CertificateOperationCancelled': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      const row = await head(vault, d.name);
      // A certificate that never got a version goes with its only operation.
      if (row && row.currentVersion === null) await purge(vault, d.name);
      else if (row) await run(c.certSetPending, [null, row.policy, sequence, vault, d.name]);
      break;
    }
    case 'CertificatePolicySet': {
      const { vault } = onSubject(target, event, 'certificate', event.data.name);
      await run(c.certSetPolicy, [json(event.data.policy), sequence, vault, event.data.name]);
      break;
    }
    case 'CertificateAttributesUpdated': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      await run(c.versionAttributes, [sql.bool(d.attributes.enabled), d.tags ? json(d.tags) : null, d.updated, vault, d.name, d.version]);
      await run(c.certTouch, [sequence, d.updated, vault, d.name]);
      break;
    }
    case 'CertificateDeleted': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      await run(c.certDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, sequence, vault, d.name]);
      await setStatus(vault, d.name, ['deleted', d.deletedDate, d.scheduledPurgeDate, d.recoveryId]);
      break;
    }
    case 'CertificateRecovered': {
      const { vault } = onSubject(target, event, 'certificate', event.data.name);
      await run(c.certRecover, [sequence, vault, event.data.name]);
      await setStatus(vault, event.data.name, ['active', null, null, null]);
      break;
    }
    case 'CertificatePurged': {
      const { vault } = onSubject(target, event, 'certificate', event.data.name);
      await purge(vault, event.data.name);
      break;
    }
    case 'CertificateRestored': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      // A restore recreates the object from its backup: whatever was there is replaced.
      await purge(vault, d.name);
      for (const parts of d.versions) await addVersion(vault, d.name, parts, json(d.policy));
      await run(c.certTouch, [sequence, d.restored, vault, d.name]);
      break;
    }
    case 'CertificateExpiryNotified': {
      // As the key and secret notices: the exp it was recorded for, and the head's sequence (nothing else changes).
      const d = event.data;
      const { vault } = onSubject(target, event, 'certificate', d.name);
      await run(c.versionNearExpiryNotified, [d.exp, vault, d.name, d.version]);
      await run(c.certTouchSequence, [sequence, vault, d.name]);
      break;
    }
    case 'IssuerCreated': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'issuer', d.name);
      await run(c.issuerUpsert, [vault, d.name, json(d), sequence, 0, d.created, d.created]);
      break;
    }
    case 'CertificateRevoked': {
      const d = event.data;
      const { vault } = onSubject(target, event, 'issuer', d.issuer);
      await run(c.revocationInsert, [vault, d.issuer, d.serialNumber, d.revocationDate, d.reason]);
      await run(c.issuerRevoked, [d.crlNumber, sequence, d.revocationDate, vault, d.issuer]);
      break;
    }
    case 'CertificateContactsSet':
    case 'CertificateContactsDeleted': {
      if (target.kind !== 'certificateContacts') throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
      if (event.type === 'CertificateContactsSet') await run(c.contactsUpsert, [target.vault, json(event.data.contacts), sequence, event.data.updated]);
      else await run(c.contactsDelete, [target.vault]);
      break;
    }
    default: {
      const unknown: never = event;
      throw new UnprojectableEventError(`no certificate projection for ${(unknown as DomainEvent).type}`);
    }
  }
}
