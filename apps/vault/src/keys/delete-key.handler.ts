import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DeletedKeyBundle, KeyNameRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { deletedKeyId } from './key-ids';
import { KeyCommands } from './key-commands';
import { keyScope } from './key-scope';
import { KeyReader } from './key.reader';

/** Soft delete: recoverable until its scheduled purge date (the vault's retention); the HSM objects stay. */
@Controller()
export class DeleteKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: KeyCommands, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('delete'))
  @Access(DataActions.keysDelete, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<DeletedKeyBundle> {
    const vault = await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, { version: false }, (now) => ({
      type: 'DeleteKey', name: req.name, retentionDays: vault.retentionDays, recoveryId: deletedKeyId(vaultName, req.name), now,
    }));
    return this.reader.deleted(vault, req.name);
  }
}
