import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Patterns, SecretAttributesUpdated, SecretItem, secretNotFound, Streams, UpdateSecretRequest } from '@coffer/contracts';
import { decideSecret, SecretState } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { RequestId, VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretStateLoader } from './secret-state.loader';
import { toSecretItem, viewOfRow } from './secret.mapper';

/** Updates one version's attributes, content type or tags (never its value). */
@Controller()
export class UpdateSecretHandler {
  constructor(
    private readonly vaults: VaultDirectory,
    private readonly loader: SecretStateLoader,
    private readonly readModel: ReadModel,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(Patterns.secret('update'))
  async handle(
    @Payload() req: UpdateSecretRequest,
    @VaultName() vaultName: string,
    @RequestId() requestId: string,
  ): Promise<SecretItem & { sequence: number }> {
    const vault = await this.vaults.require(vaultName);
    const outcome = await this.runner.run<{ sequence: number; state: SecretState }, SecretAttributesUpdated>({
      subject: Streams.events.secret(vaultName, req.name),
      requestId,
      load: async () => {
        const { state } = await this.loader.load(vaultName, req.name, req.version);
        return { sequence: state.sequence, state };
      },
      decide: ({ state }) =>
        decideSecret(
          {
            type: 'UpdateSecretAttributes',
            name: req.name,
            version: req.version,
            attributes: req.attributes && Object.fromEntries(Object.entries(req.attributes).filter(([, v]) => v !== undefined)),
            contentType: req.contentType,
            tags: req.tags,
            ifMatch: req.ifMatch,
            now: this.clock.now(),
          },
          state,
        )[0],
    });
    // The read model has applied the change (read-your-writes): answer from it.
    const row = await this.readModel.getSecretVersion(vaultName, req.name, outcome.event.data.version);
    if (!row) throw secretNotFound(req.name, outcome.event.data.version);
    return { ...toSecretItem(vault, req.name, viewOfRow(row), true), sequence: outcome.sequence };
  }
}
