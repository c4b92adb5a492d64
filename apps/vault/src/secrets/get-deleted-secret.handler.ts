import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeletedSecretItem, Patterns, SecretNameRequest, DataActions } from '@coffer/contracts';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretItemReader } from './secret-item.reader';

@Controller()
export class GetDeletedSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly items: SecretItemReader) {}

  @MessagePattern(Patterns.secret('deleted.get'))

  @Access(DataActions.secretsReadMetadata, secretScope)
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string): Promise<DeletedSecretItem> {
    return this.items.deleted(await this.vaults.require(vaultName), req.name);
  }
}
