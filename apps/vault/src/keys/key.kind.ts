import { Injectable } from '@nestjs/common';
import { DataActions, KeyEvent, KeyNameRequest, KeyRestoreRequest, Patterns, Streams } from '@coffer/contracts';
import { decideKey, KeyCommand, KeyDecisions, KeyState } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { ObjectKindDescriptor } from '../objects/object-kind';
import { objectScope } from '../objects/object-scope';
import { ObjectWriter } from '../objects/object-writer';
import { MaterialHook } from '../objects/material-hook';
import { KeyBackupFormat } from './key-backup.format';
import { deletedKeyId } from './key-ids';
import { KeyLoadNeeds, KeyStateLoader, LoadedKey } from './key-state.loader';
import { KeyReader } from './key.reader';

export const keyScope = objectScope('keys');

/** load → decide → append for one key, and its material hook (HSM keys made before the event that names them). */
@Injectable()
export class KeyWriter extends ObjectWriter<KeyState, KeyCommand, KeyEvent, KeyLoadNeeds, LoadedKey, KeyDecisions> {
  constructor(loader: KeyStateLoader, runner: CommandRunner, material: MaterialHook, clock: Clock) {
    super(KEY_KIND, loader, runner, material, clock);
  }
}

/** Keys: every version's material is an HSM object (sensitive, never leaves it but wrapped by the backup key). */
export const KEY_KIND: ObjectKindDescriptor<KeyState, KeyCommand, KeyEvent, KeyLoadNeeds, LoadedKey> = {
  name: 'key',
  pattern: (op) => Patterns.key(op),
  subject: (vault, name) => Streams.events.key(vault, name),
  scope: keyScope,
  actions: {
    delete: DataActions.keysDelete, 'deleted.list': DataActions.keysRead, 'deleted.get': DataActions.keysRead, recover: DataActions.keysRecover,
    purge: DataActions.keysPurge, backup: DataActions.keysBackup, restore: DataActions.keysRestore,
  },
  requests: { name: KeyNameRequest, restore: KeyRestoreRequest },
  deletedId: deletedKeyId,
  decide: decideKey,
  noVersion: { version: false },
  lifecycle: {
    delete: (p) => ({ type: 'DeleteKey', ...p }),
    recover: (p) => ({ type: 'RecoverKey', ...p }),
    purge: (p) => ({ type: 'PurgeKey', ...p }),
  },
  loader: KeyStateLoader,
  writer: KeyWriter,
  views: KeyReader,
  backup: KeyBackupFormat,
};
