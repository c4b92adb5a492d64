import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, Streams, VaultInfo, VaultSettingsRequest, DataActions } from '@coffer/contracts';
import { decideVault } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { toVaultInfo } from './vault-info.mapper';
import { VaultDirectory } from './vault-directory';
import { VaultStateLoader } from './vault-state.loader';

@Controller()
export class UpdateVaultHandler {
  constructor(
    private readonly loader: VaultStateLoader,
    private readonly directory: VaultDirectory,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.vault('update'))

  @Access(DataActions.vaultsWrite, vaultScope)
  async handle(@Payload() req: VaultSettingsRequest, @VaultName() name: string, @Idempotency() request: RequestKey): Promise<VaultInfo> {
    await this.runner.run({
      subject: Streams.events.vault(name),
      request,
      load: () => this.loader.load(name),
      decide: (state) =>
        decideVault({ type: 'UpdateVault', name, retentionDays: req.retentionDays, purgeProtection: req.purgeProtection, now: this.clock.now() }, state)[0],
    });
    return toVaultInfo(await this.directory.require(name));
  }
}
