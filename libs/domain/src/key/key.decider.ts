import { CofferError, ErrorCodes, EVENT_VERSIONS, KeyAttributesUpdated, KeyCreated, KeyDeleted, KeyEvent, KeyExpiryNotified, keyFamilyOf, KeyImported, keyNotFound, KeyPurged, KeyRecovered, KeyRestored, KeyRotated, KeyRotationPolicySet, KeyVersionRecord } from '@coffer/contracts';
import { Decisions } from '../decisions';
import { assertObjectIfMatch } from '../lifecycle/if-match';
import { assertPurgeAllowed, assertRestorable, deletedButRecoverable, scheduledPurgeDate } from '../lifecycle/soft-delete.rules';
import { assertNotManaged } from '../lifecycle/managed-object.rules';
import { NewEvent } from '../new-event';
import { addIsoDuration } from './iso-duration';
import { KeyCommand, NewKeyVersion } from './key.commands';
import { KeyState, KeyVersionState } from './key.state';
import { assertKeyOpsFit } from './key-parameters.rules';
import { assertValidRotationPolicy } from './rotation-policy.rules';
import { notifyWindowMs } from '../lifecycle/due-times';
import { decideExpiryNotice } from '../lifecycle/expiry-notice.rules';

const KIND = 'Key';
const deletedNotFound = (name: string) => new CofferError(ErrorCodes.KeyNotFound, `Deleted key '${name}' was not found.`);

function versionRecord(key: NewKeyVersion, now: string): KeyVersionRecord {
  return {
    version: key.version,
    hsmKeyId: key.hsmKeyId,
    kty: key.kty,
    ...(key.keySize !== undefined && { keySize: key.keySize }),
    ...(key.crv !== undefined && { crv: key.crv }),
    keyOps: key.keyOps,
    publicKey: key.publicKey,
    attributes: key.attributes,
    ...(key.tags !== undefined && { tags: key.tags }),
    created: now,
    updated: now,
  };
}

function currentOf(name: string, state: KeyState, version?: string): KeyVersionState {
  if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
  if (state.status === 'absent') throw keyNotFound(name);
  const id = version ?? state.currentVersion;
  const current = id ? state.versions[id] : undefined;
  if (!current) throw keyNotFound(name, version);
  return current;
}

/** The event each command decides (a writer types a command's outcome by it). */
export interface KeyDecisions extends Decisions<KeyCommand, KeyEvent> {
  CreateKey: KeyCreated;
  ImportKey: KeyImported;
  RotateKey: KeyRotated;
  UpdateKeyAttributes: KeyAttributesUpdated;
  DeleteKey: KeyDeleted;
  RecoverKey: KeyRecovered;
  PurgeKey: KeyPurged;
  SetKeyRotationPolicy: KeyRotationPolicySet;
  RestoreKey: KeyRestored;
  NotifyKeyExpiry: KeyExpiryNotified;
}

/**
 * decide(command, state) → events. Pure: time, ids and the public halves of keys the HSM made
 * arrive in the command. Private or secret key material never reaches it.
 */
export function decideKey(command: KeyCommand, state: KeyState): NewEvent<KeyEvent>[] {
  const { name } = command;
  assertNotManaged('Key', name, state.managedBy);
  const now = command.now.toISOString();
  switch (command.type) {
    case 'CreateKey':
    case 'ImportKey': {
      // Like Azure: creating or importing under an existing name adds a version.
      if (state.status === 'deleted') throw deletedButRecoverable(KIND, name);
      assertKeyOpsFit(keyFamilyOf(command.key.kty), command.key.keyOps);
      const type = command.type === 'CreateKey' ? 'KeyCreated' : 'KeyImported';
      return [{ type, version: EVENT_VERSIONS[type], data: { name, ...versionRecord(command.key, now) } }];
    }
    case 'RotateKey': {
      const current = currentOf(name, state);
      assertObjectIfMatch(KIND, name, command.ifMatch, state);
      const expiryTime = state.rotationPolicy?.expiryTime;
      const { version: _v, hsmKeyId: _h, publicKey: _p, attributes: _a, notices: _n, ...kind } = current;
      return [{
        type: 'KeyRotated',
        version: EVENT_VERSIONS.KeyRotated,
        data: {
          name,
          ...versionRecord({
            ...kind,
            version: command.version,
            hsmKeyId: command.hsmKeyId,
            publicKey: command.publicKey,
            attributes: { enabled: true, ...(expiryTime !== undefined && { exp: addIsoDuration(command.now, expiryTime) }) },
          }, now),
        },
      }];
    }
    case 'UpdateKeyAttributes': {
      const current = currentOf(name, state, command.version);
      assertObjectIfMatch(KIND, name, command.ifMatch, state);
      const keyOps = command.keyOps ?? current.keyOps;
      assertKeyOpsFit(keyFamilyOf(current.kty), keyOps);
      const tags = command.tags ?? current.tags;
      return [{
        type: 'KeyAttributesUpdated',
        version: EVENT_VERSIONS.KeyAttributesUpdated,
        data: { name, version: current.version, keyOps, attributes: { ...current.attributes, ...command.attributes }, ...(tags !== undefined && { tags }), updated: now },
      }];
    }
    case 'DeleteKey': {
      if (state.status !== 'active') throw keyNotFound(name);
      return [{
        type: 'KeyDeleted',
        version: EVENT_VERSIONS.KeyDeleted,
        data: { name, deletedDate: now, scheduledPurgeDate: scheduledPurgeDate(command.now, command.retentionDays), recoveryId: command.recoveryId },
      }];
    }
    case 'RecoverKey': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      return [{ type: 'KeyRecovered', version: EVENT_VERSIONS.KeyRecovered, data: { name, recovered: now } }];
    }
    case 'PurgeKey': {
      if (state.status !== 'deleted') throw deletedNotFound(name);
      assertPurgeAllowed(KIND, name, command.purgeProtection, state.scheduledPurgeDate, command.now);
      return [{ type: 'KeyPurged', version: EVENT_VERSIONS.KeyPurged, data: { name, purged: now, destroyedHsmKeys: [...state.hsmKeyIds] } }];
    }
    case 'SetKeyRotationPolicy': {
      currentOf(name, state);
      assertValidRotationPolicy(command.lifetimeActions, command.expiryTime);
      return [{
        type: 'KeyRotationPolicySet',
        version: EVENT_VERSIONS.KeyRotationPolicySet,
        data: {
          name,
          lifetimeActions: command.lifetimeActions,
          ...(command.expiryTime !== undefined && { expiryTime: command.expiryTime }),
          created: state.rotationPolicy?.created ?? now,
          updated: now,
        },
      }];
    }
    case 'RestoreKey': {
      assertRestorable(KIND, name, state.status);
      return [{
        type: 'KeyRestored',
        version: EVENT_VERSIONS.KeyRestored,
        data: { name, restored: now, versions: command.versions, ...(command.rotationPolicy && { rotationPolicy: command.rotationPolicy }) },
      }];
    }
    case 'NotifyKeyExpiry': {
      if (state.status !== 'active') throw keyNotFound(name);
      const version = state.versions[command.version];
      if (!version) throw keyNotFound(name, command.version);
      // A rotation policy's Notify trigger is the key's own warning window (Azure's KeyNearExpiry).
      const windowMs = notifyWindowMs(state.rotationPolicy?.lifetimeActions ?? []) ?? command.windowMs;
      const notice = decideExpiryNotice({ kind: KIND, name, ...version }, command.kind, windowMs, command.now);
      return [{ type: 'KeyExpiryNotified', version: EVENT_VERSIONS.KeyExpiryNotified, data: { name, ...notice } }];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${(unreachable as KeyCommand).type}`);
    }
  }
}
