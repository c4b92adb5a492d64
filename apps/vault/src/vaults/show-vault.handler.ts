import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EmptyRequest, Patterns, VaultInfo, DataActions } from '@coffer/contracts';
import { VaultName } from '../request/request-context.decorators';
import { toVaultInfo } from './vault-info.mapper';
import { VaultDirectory } from './vault-directory';

@Controller()
export class ShowVaultHandler {
  constructor(private readonly directory: VaultDirectory) {}

  @MessagePattern(Patterns.vault('show'))

  @Access(DataActions.vaultsRead, vaultScope)
  async handle(@Payload() _req: EmptyRequest, @VaultName() name: string): Promise<VaultInfo> {
    return toVaultInfo(await this.directory.require(name));
  }
}
