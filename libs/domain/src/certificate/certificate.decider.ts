import { CertificateAttributesUpdated, CertificateDeleted, CertificateEvent, CertificateExpiryNotified, CertificateImported, CertificateMerged, certificateNotFound, CertificateOperationCancelled, CertificateOperationStarted, CertificatePolicySet, CertificatePurged, CertificateRecovered, CertificateRestored, CertificateVersionParts, CertIssued, CofferError, conflict, ErrorCodes, EVENT_VERSIONS, InnerErrorCodes, notFound, PendingCertificateRecord } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { certificateActionDue } from '../lifecycle/due-times';
import { decideExpiryNotice } from '../lifecycle/expiry-notice.rules';
import { assertObjectIfMatch } from '../lifecycle/if-match';
import { assertPurgeAllowed, assertRestorable, deletedButRecoverable, scheduledPurgeDate } from '../lifecycle/soft-delete.rules';
import { NewEvent } from '../new-event';
import { CertificateCommand } from './certificate.commands';
import { CertificateState, CertificateVersionState } from './certificate.state';

const KIND = 'Certificate';
const deletedNotFound = (name: string) => new CofferError(ErrorCodes.CertificateNotFound, `Deleted certificate '${name}' was not found.`);
const noPending = (name: string) => notFound(`Certificate '${name}' has no pending operation.`, InnerErrorCodes.PendingOperationNotFound);

/** A new version or pending operation may start on a free or active name without an operation in flight. */
function assertCanStart(name: string, state: CertificateState): void {
  if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
  if (state.pending) {
    throw conflict(`Certificate '${name}' has a pending operation: merge, cancel or delete it first.`, InnerErrorCodes.CertificateOperationInProgress);
  }
}

function activeVersion(name: string, state: CertificateState, version?: string): CertificateVersionState {
  if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
  if (state.status === 'absent') throw certificateNotFound(name);
  const id = version ?? state.currentVersion;
  const v = id ? state.versions[id] : undefined;
  if (!v) throw certificateNotFound(name, version);
  return v;
}

/** The parts of one version must all name the same version (certificate, key and secret share it). */
function assertConsistent(parts: CertificateVersionParts): void {
  const { certificate, key, secret } = parts;
  if (key.version !== certificate.version || secret.version !== certificate.version) {
    throw new Error('certificate, key and secret versions differ');
  }
}

function pendingOf(name: string, state: CertificateState): PendingCertificateRecord {
  if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
  if (!state.pending) throw noPending(name);
  return state.pending;
}

/** The event each command decides (a writer types a command's outcome by it). */
export interface CertificateDecisions extends Decisions<CertificateCommand, CertificateEvent> {
  IssueCertificate: CertIssued;
  ImportCertificate: CertificateImported;
  StartCertificateOperation: CertificateOperationStarted;
  MergeCertificate: CertificateMerged;
  CancelCertificateOperation: CertificateOperationCancelled;
  SetCertificatePolicy: CertificatePolicySet;
  UpdateCertificateAttributes: CertificateAttributesUpdated;
  DeleteCertificate: CertificateDeleted;
  RecoverCertificate: CertificateRecovered;
  PurgeCertificate: CertificatePurged;
  RestoreCertificate: CertificateRestored;
  NotifyCertificateExpiry: CertificateExpiryNotified;
}

/**
 * decide(command, state) → events. Pure: time, ids, and everything the HSM and the X.509 library
 * made (key public halves, certificates, encrypted secrets) arrive in the command.
 */
export function decideCertificate(command: CertificateCommand, state: CertificateState): NewEvent<CertificateEvent>[] {
  const { name } = command;
  const now = command.now.toISOString();
  switch (command.type) {
    case 'IssueCertificate': {
      assertCanStart(name, state);
      assertObjectIfMatch(KIND, name, command.ifMatch, state);
      assertConsistent(command.parts);
      return [{ type: 'CertIssued', version: EVENT_VERSIONS.CertIssued, data: { name, policy: command.policy, issuerName: command.issuerName, ...command.parts } }];
    }
    case 'ImportCertificate': {
      assertCanStart(name, state);
      assertConsistent(command.parts);
      return [{ type: 'CertificateImported', version: EVENT_VERSIONS.CertificateImported, data: { name, policy: command.policy, ...command.parts } }];
    }
    case 'StartCertificateOperation': {
      assertCanStart(name, state);
      assertObjectIfMatch(KIND, name, command.ifMatch, state);
      return [{ type: 'CertificateOperationStarted', version: EVENT_VERSIONS.CertificateOperationStarted, data: { name, policy: command.policy, pending: command.pending } }];
    }
    case 'MergeCertificate': {
      const pending = pendingOf(name, state);
      assertConsistent(command.parts);
      if (command.parts.certificate.version !== pending.version || command.parts.key.hsmKeyId !== pending.key.hsmKeyId) {
        throw conflict(`Certificate '${name}': the pending operation has changed; fetch it again.`, InnerErrorCodes.VersionMismatch);
      }
      return [{ type: 'CertificateMerged', version: EVENT_VERSIONS.CertificateMerged, data: { name, ...command.parts } }];
    }
    case 'CancelCertificateOperation': {
      const pending = pendingOf(name, state);
      return [{
        type: 'CertificateOperationCancelled',
        version: EVENT_VERSIONS.CertificateOperationCancelled,
        data: { name, cancelled: now, deleted: command.deleted, destroyedHsmKeys: [pending.key.hsmKeyId] },
      }];
    }
    case 'SetCertificatePolicy': {
      if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
      if (state.status === 'absent') throw certificateNotFound(name);
      return [{ type: 'CertificatePolicySet', version: EVENT_VERSIONS.CertificatePolicySet, data: { name, policy: command.policy, updated: now } }];
    }
    case 'UpdateCertificateAttributes': {
      const current = activeVersion(name, state, command.version);
      assertObjectIfMatch(KIND, name, command.ifMatch, state);
      const tags = command.tags ?? current.tags;
      return [{
        type: 'CertificateAttributesUpdated',
        version: EVENT_VERSIONS.CertificateAttributesUpdated,
        data: {
          name, version: current.version, attributes: { ...current.attributes, enabled: command.enabled ?? current.attributes.enabled },
          ...(tags !== undefined && { tags }), updated: now,
        },
      }];
    }
    case 'DeleteCertificate': {
      if (state.status !== 'active') throw certificateNotFound(name);
      return [{
        type: 'CertificateDeleted',
        version: EVENT_VERSIONS.CertificateDeleted,
        data: { name, deletedDate: now, scheduledPurgeDate: scheduledPurgeDate(command.now, command.retentionDays), recoveryId: command.recoveryId },
      }];
    }
    case 'RecoverCertificate': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      return [{ type: 'CertificateRecovered', version: EVENT_VERSIONS.CertificateRecovered, data: { name, recovered: now } }];
    }
    case 'PurgeCertificate': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      assertPurgeAllowed(KIND, name, command.purgeProtection, state.scheduledPurgeDate, command.now);
      return [{
        type: 'CertificatePurged',
        version: EVENT_VERSIONS.CertificatePurged,
        data: { name, purged: now, destroyedHsmKeys: [...state.hsmKeyIds], shreddedKeys: [...state.deks] },
      }];
    }
    case 'RestoreCertificate': {
      assertRestorable(KIND, name, state.status);
      if (command.versions.length === 0) throw new Error('a restore needs at least one version');
      command.versions.forEach(assertConsistent);
      return [{ type: 'CertificateRestored', version: EVENT_VERSIONS.CertificateRestored, data: { name, restored: now, policy: command.policy, versions: command.versions } }];
    }
    case 'NotifyCertificateExpiry': {
      if (state.status !== 'active') throw certificateNotFound(name);
      const version = state.versions[command.version];
      if (!version) throw certificateNotFound(name, command.version);
      // The policy's EmailContacts trigger is the certificate's own warning window (Azure's CertificateNearExpiry).
      const due = certificateActionDue(state.policy?.lifetime_actions ?? [], 'EmailContacts', version.attributes);
      const windowMs = due === undefined ? command.windowMs : Date.parse(version.attributes.exp) - due;
      const notice = decideExpiryNotice({ kind: KIND, name, ...version }, 'NearExpiry', windowMs, command.now);
      return [{
        type: 'CertificateExpiryNotified', version: EVENT_VERSIONS.CertificateExpiryNotified, data: { name, ...notice, contacts: [...command.contacts] },
      }];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as CertificateCommand).type}`);
    }
  }
}
