import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeletedSecretItem, Patterns, SecretNameRequest, Streams } from '@coffer/contracts';
import { decideSecret } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { RequestId, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { deletedSecretId } from './secret-ids';
import { SecretItemReader } from './secret-item.reader';
import { SecretStateLoader } from './secret-state.loader';

/** Soft delete: recoverable until its scheduled purge date (the vault's retention). */
@Controller()
export class DeleteSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly items: SecretItemReader,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('delete'))
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @RequestId() requestId: string): Promise<DeletedSecretItem> {
    const vault = await this.vaults.require(vaultName);
    await this.runner.run({
      subject: Streams.events.secret(vaultName, req.name),
      requestId,
      load: async () => (await this.loader.load(vaultName, req.name, false)).state,
      decide: (state) =>
        decideSecret(
          { type: 'DeleteSecret', name: req.name, retentionDays: vault.retentionDays, recoveryId: deletedSecretId(vaultName, req.name), now: this.clock.now() },
          state,
        )[0],
    });
    return this.items.deleted(vault, req.name);
  }
}
