import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  assertHookTags, BACKUP_KEK_ID, badParameter, InnerErrorCodes, Patterns, RestoreSecretRequest, SecretItem, SecretRestored, SecretVersionRecord, DataActions } from '@coffer/contracts';
import { decideSecret } from '@coffer/domain';
import { mayHaveBeenRecorded } from '../commands/append-outcome';
import { CryptoWorkerClient, CryptoWorkerError } from '../crypto/crypto-worker.client';
import { DataKeysService } from '../crypto/data-keys.service';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { openBackup, parseSealedBackup } from './backup.codec';
import { SecretCommands } from './secret-commands';
import { SecretItemReader } from './secret-item.reader';
import { SecretStateLoader } from './secret-state.loader';
import { SecretValuesService } from './secret-values.service';

/** Restores a backup into this vault under a fresh data key; refused if the name exists. */
@Controller()
export class RestoreSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly items: SecretItemReader,
    private readonly values: SecretValuesService,
    private readonly dataKeys: DataKeysService,
    private readonly crypto: CryptoWorkerClient,
    private readonly commands: SecretCommands,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('restore'))

  @Access(DataActions.secretsRestore, vaultScope)
  async handle(@Payload() req: RestoreSecretRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<SecretItem> {
    const vault = await this.vaults.require(vaultName);
    const sealed = parseSealedBackup(req.value);
    const blobKey = await this.crypto.unwrapDataKey(BACKUP_KEK_ID, sealed.wrapped).catch((err) => {
      throw err instanceof CryptoWorkerError ? badParameter('The backup blob cannot be opened by this Coffer.', InnerErrorCodes.InvalidBackup) : err;
    });
    const payload = openBackup(sealed, blobKey);
    blobKey.fill(0);
    for (const v of payload.versions) {
      this.values.assertSize(v.value);
      // A backup's hooks must name this vault's hook namespace, like any tag set here.
      assertHookTags(vaultName, v.tags);
    }

    const { state } = await this.loader.load(vaultName, payload.name, false);
    decideSecret({ type: 'RestoreSecret', name: payload.name, versions: [], now: this.clock.now() }, state); // refuse early, before making keys
    const { dek } = await this.dataKeys.create(vaultName, vault.kekId, payload.name);
    const versions: SecretVersionRecord[] = [];
    for (const v of payload.versions) {
      versions.push({ ...v, value: await this.values.encrypt(vaultName, payload.name, v.version, dek, v.value) });
    }
    try {
      const outcome = await this.commands.run<SecretRestored>(vaultName, payload.name, request, false, (now) => ({
        type: 'RestoreSecret', name: payload.name, versions, now,
      }));
      // A retried restore replays the first outcome, which uses the first attempt's key.
      if (outcome.replayed) await this.dataKeys.shred([dek]);
    } catch (err) {
      // Shredding the key of a restore that was recorded would make the restored secret unreadable.
      if (!mayHaveBeenRecorded(err)) await this.dataKeys.shred([dek]);
      throw err;
    }
    return this.items.active(vault, payload.name);
  }
}
