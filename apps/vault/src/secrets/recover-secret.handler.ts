import { Access } from '../auth/access.decorator';
import { secretScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, SecretItem, SecretNameRequest, DataActions } from '@coffer/contracts';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretCommands } from './secret-commands';
import { SecretItemReader } from './secret-item.reader';

@Controller()
export class RecoverSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: SecretCommands, private readonly items: SecretItemReader) {}

  @MessagePattern(Patterns.secret('recover'))

  @Access(DataActions.secretsRecover, secretScope)
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<SecretItem> {
    const vault = await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, false, (now) => ({ type: 'RecoverSecret', name: req.name, now }));
    return this.items.active(vault, req.name);
  }
}
