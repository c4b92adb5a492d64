import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, SecretItem, SecretNameRequest, Streams } from '@coffer/contracts';
import { decideSecret } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { RequestId, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretItemReader } from './secret-item.reader';
import { SecretStateLoader } from './secret-state.loader';

@Controller()
export class RecoverSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly items: SecretItemReader,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('recover'))
  async handle(@Payload() req: SecretNameRequest, @VaultName() vaultName: string, @RequestId() requestId: string): Promise<SecretItem> {
    const vault = await this.vaults.require(vaultName);
    await this.runner.run({
      subject: Streams.events.secret(vaultName, req.name),
      requestId,
      load: async () => (await this.loader.load(vaultName, req.name, false)).state,
      decide: (state) => decideSecret({ type: 'RecoverSecret', name: req.name, now: this.clock.now() }, state)[0],
    });
    return this.items.active(vault, req.name);
  }
}
