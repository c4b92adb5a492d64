import { CofferError, ErrorCodes, EVENT_VERSIONS, SecretAttributesUpdated, SecretDeleted, SecretEvent, SecretExpiryNotified, secretNotFound, SecretPurged, SecretRecovered, SecretRestored, SecretSet } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { assertPurgeAllowed, assertRestorable, deletedButRecoverable as deletedButRecoverableObject, scheduledPurgeDate } from '../lifecycle/soft-delete.rules';
import { assertNotManaged } from '../lifecycle/managed-object.rules';
import { NewEvent } from '../new-event';
import { decideExpiryNotice } from '../lifecycle/expiry-notice.rules';
import { assertIfMatch } from './secret-if-match';
import { SecretCommand } from './secret.commands';
import { SecretState } from './secret.state';

const deletedButRecoverable = (name: string) => deletedButRecoverableObject('Secret', name);

const deletedNotFound = (name: string) => new CofferError(ErrorCodes.SecretNotFound, `Deleted secret '${name}' was not found.`);

/** The event each command decides (a writer types a command's outcome by it). */
export interface SecretDecisions extends Decisions<SecretCommand, SecretEvent> {
  SetSecret: SecretSet;
  UpdateSecretAttributes: SecretAttributesUpdated;
  DeleteSecret: SecretDeleted;
  RecoverSecret: SecretRecovered;
  PurgeSecret: SecretPurged;
  RestoreSecret: SecretRestored;
  NotifySecretExpiry: SecretExpiryNotified;
}

/** decide(command, state) → events. Pure: time, ids and ciphertext arrive in the command. */
export function decideSecret(command: SecretCommand, state: SecretState): NewEvent<SecretEvent>[] {
  const { name } = command;
  assertNotManaged('Secret', name, state.managedBy);
  const now = command.now.toISOString();
  switch (command.type) {
    case 'SetSecret': {
      if (state.status === 'deleted') throw deletedButRecoverable(name);
      assertIfMatch(name, command.ifMatch, state);
      return [{
        type: 'SecretSet',
        version: EVENT_VERSIONS.SecretSet,
        data: {
          name,
          version: command.version,
          value: command.value,
          attributes: command.attributes,
          ...(command.contentType !== undefined && { contentType: command.contentType }),
          ...(command.tags !== undefined && { tags: command.tags }),
          created: now,
          updated: now,
        },
      }];
    }
    case 'UpdateSecretAttributes': {
      if (state.status === 'deleted') throw deletedButRecoverable(name);
      if (state.status === 'absent') throw secretNotFound(name);
      const versionId = command.version ?? state.currentVersion;
      const current = versionId ? state.versions[versionId] : undefined;
      if (!versionId || !current) throw secretNotFound(name, command.version);
      assertIfMatch(name, command.ifMatch, state);
      return [{
        type: 'SecretAttributesUpdated',
        version: EVENT_VERSIONS.SecretAttributesUpdated,
        data: {
          name,
          version: versionId,
          attributes: { ...current.attributes, ...command.attributes },
          ...((command.contentType ?? current.contentType) !== undefined && { contentType: command.contentType ?? current.contentType }),
          ...((command.tags ?? current.tags) !== undefined && { tags: command.tags ?? current.tags }),
          updated: now,
        },
      }];
    }
    case 'DeleteSecret': {
      if (state.status !== 'active') throw secretNotFound(name);
      return [{
        type: 'SecretDeleted',
        version: EVENT_VERSIONS.SecretDeleted,
        data: {
          name,
          deletedDate: now,
          scheduledPurgeDate: scheduledPurgeDate(command.now, command.retentionDays),
          recoveryId: command.recoveryId,
        },
      }];
    }
    case 'RecoverSecret': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      return [{ type: 'SecretRecovered', version: EVENT_VERSIONS.SecretRecovered, data: { name, recovered: now } }];
    }
    case 'PurgeSecret': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      assertPurgeAllowed('Secret', name, command.purgeProtection, state.scheduledPurgeDate, command.now);
      return [{
        type: 'SecretPurged',
        version: EVENT_VERSIONS.SecretPurged,
        data: { name, purged: now, shreddedKeys: [...state.deks] },
      }];
    }
    case 'RestoreSecret': {
      assertRestorable('Secret', name, state.status);
      return [{
        type: 'SecretRestored',
        version: EVENT_VERSIONS.SecretRestored,
        data: { name, restored: now, versions: command.versions },
      }];
    }
    case 'NotifySecretExpiry': {
      if (state.status !== 'active') throw secretNotFound(name);
      const version = state.versions[command.version];
      if (!version) throw secretNotFound(name, command.version);
      const notice = decideExpiryNotice({ kind: 'Secret', name, ...version }, command.kind, command.windowMs, command.now);
      return [{ type: 'SecretExpiryNotified', version: EVENT_VERSIONS.SecretExpiryNotified, data: { name, ...notice } }];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as SecretCommand).type}`);
    }
  }
}
