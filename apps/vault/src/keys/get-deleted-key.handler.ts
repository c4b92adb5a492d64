import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DeletedKeyBundle, KeyNameRequest, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope } from './key-scope';
import { KeyReader } from './key.reader';

@Controller()
export class GetDeletedKeyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('deleted.get'))
  @Access(DataActions.keysRead, keyScope)
  async handle(@Payload() req: KeyNameRequest, @VaultName() vaultName: string): Promise<DeletedKeyBundle> {
    return this.reader.deleted(await this.vaults.require(vaultName), req.name);
  }
}
