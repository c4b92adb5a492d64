import { CofferError, ErrorCodes, EVENT_VERSIONS, SecretEvent, secretNotFound } from '@coffer/contracts';
import { assertPurgeAllowed, assertRestorable, deletedButRecoverable as deletedButRecoverableObject, scheduledPurgeDate } from '../lifecycle/soft-delete.rules';
import { assertNotManaged } from '../lifecycle/managed-object.rules';
import { NewEvent } from '../new-event';
import { decideExpiryNotice } from '../lifecycle/expiry-notice.rules';
import { assertIfMatch } from './if-match';
import { SecretCommand } from './secret.commands';
import { absentSecret, SecretState } from './secret.state';

const deletedButRecoverable = (name: string) => deletedButRecoverableObject('Secret', name);

const deletedNotFound = (name: string) => new CofferError(ErrorCodes.SecretNotFound, `Deleted secret '${name}' was not found.`);

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

/** evolve(state, event) → state; `sequence` is the event's stream sequence. */
export function evolveSecret(state: SecretState, event: SecretEvent, sequence: number): SecretState {
  switch (event.type) {
    case 'SecretSet': {
      const { name: _n, value, created: _c, updated: _u, ...version } = event.data;
      const fresh = state.status === 'absent';
      const base = fresh ? absentSecret(sequence) : state;
      return {
        ...base,
        status: 'active',
        sequence,
        currentVersion: version.version,
        deks: base.deks.includes(value.dek) ? base.deks : [...base.deks, value.dek],
        versions: { ...base.versions, [version.version]: version },
      };
    }
    case 'SecretAttributesUpdated': {
      const { name: _n, updated: _u, ...version } = event.data;
      const notices = state.versions[version.version]?.notices;
      return { ...state, sequence, versions: { ...state.versions, [version.version]: { ...version, ...(notices && { notices }) } } };
    }
    case 'SecretDeleted':
      return { ...state, status: 'deleted', sequence, deletedDate: event.data.deletedDate, scheduledPurgeDate: event.data.scheduledPurgeDate };
    case 'SecretRecovered':
      return { ...state, status: 'active', sequence, deletedDate: undefined, scheduledPurgeDate: undefined };
    case 'SecretPurged':
      return absentSecret(sequence);
    case 'SecretRestored': {
      const versions = Object.fromEntries(
        event.data.versions.map(({ value: _v, created: _c, updated: _u, ...v }) => [v.version, v]),
      );
      const last = event.data.versions[event.data.versions.length - 1];
      return {
        status: 'active',
        sequence,
        currentVersion: last?.version,
        deks: [...new Set(event.data.versions.map((v) => v.value.dek))],
        versions,
      };
    }
    case 'SecretExpiryNotified': {
      const { version, kind, exp } = event.data;
      const previous = state.versions[version];
      if (!previous) return { ...state, sequence };
      return { ...state, sequence, versions: { ...state.versions, [version]: { ...previous, notices: { ...previous.notices, [kind]: exp } } } };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export const initialSecretState = (): SecretState => absentSecret();
