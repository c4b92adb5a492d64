import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeletedSecretItem, Patterns, SecretNameRequest } from '@coffer/contracts';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretItemReader } from './secret-item.reader';

@Controller()
export class GetDeletedSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly items: SecretItemReader) {}

  @MessagePattern(Patterns.secret('deleted.get'))
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string): Promise<DeletedSecretItem> {
    return this.items.deleted(await this.vaults.require(vaultName), req.name);
  }
}
