import { Access } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { assertHookTags, Patterns, SecretItem, secretNotFound, UpdateSecretRequest, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { secretScope, SecretWriter } from './secret.kind';
import { toSecretItem, viewOfRow } from './secret.mapper';

/** Updates one version's attributes, content type or tags (never its value). */
@Controller()
export class UpdateSecretHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: SecretWriter, private readonly readModel: ReadModel) {}

  @MessagePattern(Patterns.secret('update'))
  @Access(DataActions.secretsUpdate, secretScope)
  async handle(
    @Payload() req: UpdateSecretRequest,
    @VaultName() vaultName: string,
    @Idempotency() request: RequestKey,
  ): Promise<SecretItem & { sequence: number }> {
    assertHookTags(vaultName, req.tags);
    const vault = await this.vaults.require(vaultName);
    const attributes = req.attributes && Object.fromEntries(Object.entries(req.attributes).filter(([, v]) => v !== undefined));
    const outcome = await this.writer.run(
      vaultName,
      req.name,
      request,
      req.version,
      (now) => ({ type: 'UpdateSecretAttributes', name: req.name, version: req.version, attributes, contentType: req.contentType, tags: req.tags, ifMatch: req.ifMatch, now }),
    );
    // The read model has applied the change (read-your-writes): answer from it.
    const row = await this.readModel.getSecretVersion(vaultName, req.name, outcome.event.data.version);
    if (!row) throw secretNotFound(req.name, outcome.event.data.version);
    return { ...toSecretItem(vault, req.name, viewOfRow(row), true), sequence: outcome.sequence };
  }
}
