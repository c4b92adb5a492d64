import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyBundle, KeyUpdateRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope, KeyWriter } from './key.kind';
import { KeyReader } from './key.reader';

/** Updates one version's attributes, key_ops or tags (never its material); ifMatch makes it check-and-set. */
@Controller()
export class UpdateKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: KeyWriter, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('update'))
  @Access(DataActions.keysUpdate, keyScope)
  async handle(@Payload() req: KeyUpdateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<KeyBundle> {
    await this.vaults.require(vaultName);
    const attributes = req.attributes && Object.fromEntries(Object.entries(req.attributes).filter(([, v]) => v !== undefined));
    const outcome = await this.writer.run(vaultName, req.name, request, { version: req.version }, (now) => ({
      type: 'UpdateKeyAttributes', name: req.name, version: req.version, keyOps: req.key_ops, attributes, tags: req.tags, ifMatch: req.ifMatch, now,
    }));
    return this.reader.bundle(vaultName, req.name, outcome.event.data.version);
  }
}
