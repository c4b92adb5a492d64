import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeletedSecretItem, Patterns, SecretNameRequest, DataActions } from '@coffer/contracts';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretCommands } from './secret-commands';
import { deletedSecretId } from './secret-ids';
import { SecretItemReader } from './secret-item.reader';

/** Soft delete: recoverable until its scheduled purge date (the vault's retention). */
@Controller()
export class DeleteSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: SecretCommands, private readonly items: SecretItemReader) {}

  @MessagePattern(Patterns.secret('delete'))

  @Access(DataActions.secretsDelete, secretScope)
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<DeletedSecretItem> {
    const vault = await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, false, (now) => ({
      type: 'DeleteSecret', name: req.name, retentionDays: vault.retentionDays, recoveryId: deletedSecretId(vaultName, req.name), now,
    }));
    return this.items.deleted(vault, req.name);
  }
}
