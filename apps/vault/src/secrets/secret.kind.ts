import { Injectable } from '@nestjs/common';
import { DataActions, Patterns, RestoreSecretRequest, SecretEvent, SecretNameRequest, Streams } from '@coffer/contracts';
import { decideSecret, SecretCommand, SecretDecisions, SecretState } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { ObjectKindDescriptor } from '../objects/object-kind';
import { objectScope } from '../objects/object-scope';
import { ObjectWriter } from '../objects/object-writer';
import { MaterialHook } from '../objects/material-hook';
import { SecretBackupFormat } from './secret-backup.format';
import { deletedSecretId } from './secret-ids';
import { SecretItemReader } from './secret-item.reader';
import { LoadedSecret, SecretStateLoader } from './secret-state.loader';

/** Loader needs of a secret command: the version it addresses (undefined: the current one; false: none). */
type SecretNeeds = string | false | undefined;

export const secretScope = objectScope('secrets');

/** load → decide → append for one secret, and its material hook (a new object's data key, the value encrypted under it). */
@Injectable()
export class SecretWriter extends ObjectWriter<SecretState, SecretCommand, SecretEvent, SecretNeeds, LoadedSecret, SecretDecisions> {
  constructor(loader: SecretStateLoader, runner: CommandRunner, material: MaterialHook, clock: Clock) {
    super(SECRET_KIND, loader, runner, material, clock);
  }
}

/** Secrets: values encrypted under one data key per object (wrapped by the vault's KEK); no HSM keys of their own. */
export const SECRET_KIND: ObjectKindDescriptor<SecretState, SecretCommand, SecretEvent, SecretNeeds, LoadedSecret> = {
  name: 'secret',
  pattern: (op) => Patterns.secret(op),
  subject: (vault, name) => Streams.events.secret(vault, name),
  scope: secretScope,
  actions: {
    delete: DataActions.secretsDelete, 'deleted.list': DataActions.secretsReadMetadata, 'deleted.get': DataActions.secretsReadMetadata,
    recover: DataActions.secretsRecover, purge: DataActions.secretsPurge, backup: DataActions.secretsBackup, restore: DataActions.secretsRestore,
  },
  requests: { name: SecretNameRequest, restore: RestoreSecretRequest },
  deletedId: deletedSecretId,
  decide: decideSecret,
  noVersion: false,
  lifecycle: {
    delete: (p) => ({ type: 'DeleteSecret', ...p }),
    recover: (p) => ({ type: 'RecoverSecret', ...p }),
    purge: (p) => ({ type: 'PurgeSecret', ...p }),
  },
  loader: SecretStateLoader,
  writer: SecretWriter,
  views: SecretItemReader,
  backup: SecretBackupFormat,
};
