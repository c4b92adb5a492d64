import { DomainEvent, KeyRotationPolicyRecord } from '@coffer/contracts';
import { keyVersionParams, versionParams } from './version-params';
import { EntityManager } from 'typeorm';
import { EventSubject, parseEventSubject } from './event-subject.parser';
import { UnprojectableEventError } from './read-model.errors';
import { sqlFor } from './sql-statements';
import { sqlRunner } from '@coffer/sql';
import { applyCertificateEvent } from './certificate.projection';
import { lifecycleSqlFor } from './lifecycle.sql';

const keyPolicyParams = (vault: string, name: string, p: KeyRotationPolicyRecord): unknown[] =>
  [vault, name, JSON.stringify(p.lifetimeActions), p.expiryTime ?? null, p.created, p.updated];

function principalTarget(target: EventSubject, event: DomainEvent, id: string): void {
  if (target.kind !== 'principal' || target.id !== id) throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
}

function assignmentTarget(target: EventSubject, event: DomainEvent, id: string): void {
  if (target.kind !== 'roleAssignment' || target.id !== id) throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
}

function secretTarget(target: EventSubject, event: DomainEvent): { vault: string; name: string } {
  if (target.kind !== 'secret' || (event.data as { name?: unknown }).name !== target.name) {
    throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
  }
  return target;
}

function keyTarget(target: EventSubject, event: DomainEvent): { vault: string; name: string } {
  if (target.kind !== 'key' || (event.data as { name?: unknown }).name !== target.name) {
    throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
  }
  return target;
}

/**
 * Folds one event into the rows. Callers apply events in stream order and only those after the
 * checkpoint (see projectBatch), which is what makes redelivery harmless. Events about rows that do
 * not exist (which the deciders never produce) change nothing rather than fail.
 */
export async function applyEvent(manager: EntityManager, event: DomainEvent, sequence: number, subject: string): Promise<void> {
  const sql = sqlFor(manager.connection);
  const { s } = sql;
  const run = sqlRunner(manager);
  const target = parseEventSubject(subject);
  switch (event.type) {
    case 'VaultCreated':
    case 'VaultUpdated': {
      if (target.kind !== 'vault' || event.data.name !== target.vault) {
        throw new UnprojectableEventError(`${event.type} does not belong on its subject`);
      }
      const d = event.data;
      if (event.type === 'VaultCreated') {
        const c = event.data;
        await run(s.vaultUpsert, [c.name, c.kekId, c.retentionDays, sql.bool(c.purgeProtection), c.created, c.created, sequence]);
      } else {
        await run(s.vaultUpdate, [d.retentionDays, sql.bool(d.purgeProtection), event.data.updated, sequence, d.name]);
      }
      break;
    }
    case 'SecretSet': {
      const { vault, name } = secretTarget(target, event);
      const d = event.data;
      const [secret] = (await run(s.secretVersionCount, [vault, name])) as { versionCount: number }[];
      const ordinal = (secret?.versionCount ?? 0) + 1;
      if (secret) {
        await run(s.secretSetCurrent, [d.version, sequence, d.value.dek, ordinal, d.updated, vault, name]);
      } else {
        await run(s.secretUpsert, [vault, name, 'active', d.version, sequence, d.value.dek, 1, d.created, d.updated, null, null, null]);
      }
      await run(s.versionUpsert, versionParams(sql, vault, name, d, ordinal));
      break;
    }
    case 'SecretAttributesUpdated': {
      const { vault, name } = secretTarget(target, event);
      const d = event.data;
      await run(s.versionAttributes, [
        sql.bool(d.attributes.enabled), d.attributes.nbf ?? null, d.attributes.exp ?? null, d.contentType ?? null,
        d.tags ? JSON.stringify(d.tags) : null, d.updated, vault, name, d.version,
      ]);
      await run(s.secretTouch, [sequence, d.updated, vault, name]);
      break;
    }
    case 'SecretDeleted': {
      const { vault, name } = secretTarget(target, event);
      const d = event.data;
      await run(s.secretDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, sequence, vault, name]);
      break;
    }
    case 'SecretRecovered': {
      const { vault, name } = secretTarget(target, event);
      await run(s.secretRecover, [sequence, vault, name]);
      break;
    }
    case 'SecretPurged': {
      const { vault, name } = secretTarget(target, event);
      await run(s.versionsPurge, [vault, name]);
      await run(s.secretPurge, [vault, name]);
      break;
    }
    case 'SecretRestored': {
      const { vault, name } = secretTarget(target, event);
      const d = event.data;
      const first = d.versions[0];
      const last = d.versions[d.versions.length - 1];
      if (!first || !last) throw new UnprojectableEventError('SecretRestored carries no versions');
      // A restore recreates the object from its backup: whatever was there is replaced.
      await run(s.versionsPurge, [vault, name]);
      await run(s.secretUpsert, [vault, name, 'active', last.version, sequence, last.value.dek, d.versions.length, first.created, d.restored, null, null, null]);
      for (const [i, v] of d.versions.entries()) await run(s.versionUpsert, versionParams(sql, vault, name, v, i + 1));
      break;
    }
    case 'KeyCreated':
    case 'KeyImported':
    case 'KeyRotated': {
      const { vault, name } = keyTarget(target, event);
      const { name: _n, ...d } = event.data;
      const [key] = (await run(s.keyVersionCount, [vault, name])) as { versionCount: number }[];
      const ordinal = (key?.versionCount ?? 0) + 1;
      if (key) {
        await run(s.keySetCurrent, [d.version, sequence, ordinal, d.updated, vault, name]);
      } else {
        await run(s.keyUpsert, [vault, name, 'active', d.version, sequence, 1, d.created, d.updated, null, null, null]);
      }
      await run(s.keyVersionUpsert, keyVersionParams(sql, vault, name, d, ordinal));
      break;
    }
    case 'KeyAttributesUpdated': {
      const { vault, name } = keyTarget(target, event);
      const d = event.data;
      await run(s.keyVersionAttributes, [
        JSON.stringify(d.keyOps), sql.bool(d.attributes.enabled), d.attributes.nbf ?? null, d.attributes.exp ?? null,
        d.tags ? JSON.stringify(d.tags) : null, d.updated, vault, name, d.version,
      ]);
      await run(s.keyTouch, [sequence, d.updated, vault, name]);
      break;
    }
    case 'KeyDeleted': {
      const { vault, name } = keyTarget(target, event);
      const d = event.data;
      await run(s.keyDelete, [d.deletedDate, d.scheduledPurgeDate, d.recoveryId, sequence, vault, name]);
      break;
    }
    case 'KeyRecovered': {
      const { vault, name } = keyTarget(target, event);
      await run(s.keyRecover, [sequence, vault, name]);
      break;
    }
    case 'KeyPurged': {
      const { vault, name } = keyTarget(target, event);
      await run(s.keyPolicyPurge, [vault, name]);
      await run(s.keyVersionsPurge, [vault, name]);
      await run(s.keyPurge, [vault, name]);
      break;
    }
    case 'KeyRotationPolicySet': {
      const { vault, name } = keyTarget(target, event);
      const { name: _n, ...policy } = event.data;
      await run(s.keyPolicyUpsert, keyPolicyParams(vault, name, policy));
      await run(s.keyTouchSequence, [sequence, vault, name]);
      break;
    }
    case 'KeyRestored': {
      const { vault, name } = keyTarget(target, event);
      const d = event.data;
      const first = d.versions[0];
      const last = d.versions[d.versions.length - 1];
      if (!first || !last) throw new UnprojectableEventError('KeyRestored carries no versions');
      // A restore recreates the object from its backup: whatever was there is replaced.
      await run(s.keyPolicyPurge, [vault, name]);
      await run(s.keyVersionsPurge, [vault, name]);
      await run(s.keyUpsert, [vault, name, 'active', last.version, sequence, d.versions.length, first.created, d.restored, null, null, null]);
      for (const [i, v] of d.versions.entries()) await run(s.keyVersionUpsert, keyVersionParams(sql, vault, name, v, i + 1));
      if (d.rotationPolicy) await run(s.keyPolicyUpsert, keyPolicyParams(vault, name, d.rotationPolicy));
      break;
    }
    case 'SecretExpiryNotified': {
      const { vault, name } = secretTarget(target, event);
      const l = lifecycleSqlFor(manager.connection);
      const d = event.data;
      await run(d.kind === 'Expired' ? l.secretExpiredNotified : l.secretNearExpiryNotified, [d.exp, vault, name, d.version]);
      await run(l.secretTouchSequence, [sequence, vault, name]);
      break;
    }
    case 'KeyExpiryNotified': {
      const { vault, name } = keyTarget(target, event);
      const l = lifecycleSqlFor(manager.connection);
      const d = event.data;
      await run(d.kind === 'Expired' ? l.keyExpiredNotified : l.keyNearExpiryNotified, [d.exp, vault, name, d.version]);
      await run(l.keyTouchSequence, [sequence, vault, name]);
      break;
    }
    case 'CertIssued': case 'CertificateImported': case 'CertificateOperationStarted': case 'CertificateMerged':
    case 'CertificateOperationCancelled': case 'CertificatePolicySet': case 'CertificateAttributesUpdated': case 'CertificateDeleted':
    case 'CertificateRecovered': case 'CertificatePurged': case 'CertificateRestored': case 'IssuerCreated': case 'CertificateRevoked':
    case 'CertificateContactsSet': case 'CertificateContactsDeleted': case 'CertificateExpiryNotified':
      await applyCertificateEvent(manager, event, sequence, target);
      break;
    case 'PrincipalCreated': {
      const d = event.data;
      principalTarget(target, event, d.id);
      await run(s.principalUpsert, [d.id, d.name, d.type, sql.bool(true), d.created, sequence, null]);
      break;
    }
    case 'PrincipalDisabled':
      principalTarget(target, event, event.data.id);
      // Disabling revokes every token issued so far, even if the principal is enabled again later.
      await run(s.principalRevoke, [sql.bool(false), event.data.disabled, sequence, event.data.id]);
      break;
    case 'PrincipalEnabled':
      principalTarget(target, event, event.data.id);
      await run(s.principalEnabled, [sql.bool(true), sequence, event.data.id]);
      break;
    case 'CredentialAdded': {
      const { principalId, credential: c } = event.data;
      principalTarget(target, event, principalId);
      await run(s.credentialUpsert, [
        c.id, principalId, c.kind, c.kind === 'secret' ? c.hash : null, c.kind === 'ed25519' ? c.publicKey : null,
        c.kind === 'secret' ? c.hint : null, c.created, c.expires ?? null,
      ]);
      await run(s.principalTouch, [sequence, principalId]);
      break;
    }
    case 'CredentialRemoved': {
      const d = event.data;
      principalTarget(target, event, d.principalId);
      await run(s.credentialDelete, [d.credentialId, d.principalId]);
      await run(s.principalRevokeKeepEnabled, [d.revokedBefore, sequence, d.principalId]);
      break;
    }
    case 'RoleAssignmentCreated': {
      const d = event.data;
      assignmentTarget(target, event, d.id);
      await run(s.assignmentUpsert, [d.id, d.principalId, d.role, d.scope, d.created, sequence]);
      break;
    }
    case 'RoleAssignmentDeleted':
      assignmentTarget(target, event, event.data.id);
      await run(s.assignmentDelete, [event.data.id]);
      break;
    default: {
      const unknown: never = event;
      throw new UnprojectableEventError(`no projection for event type ${(unknown as DomainEvent).type}`);
    }
  }
  const { principalId, requestId, requestHash, occurredAt } = event.metadata;
  // Events from before request ids were scoped carry no principal: no retry can match them.
  if (principalId !== undefined && requestHash !== undefined) {
    await run(s.appliedInsert, [principalId, requestId, subject, sequence, requestHash, Date.parse(occurredAt) || 0]);
  }
}
