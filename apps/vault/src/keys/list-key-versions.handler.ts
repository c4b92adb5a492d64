import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyItem, keyNotFound, KeyVersionsRequest, Page, Patterns } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { keyScope } from './key.kind';
import { toKeyItem, viewOfKeyRow } from './key.mapper';

@Controller()
export class ListKeyVersionsHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory) {}

  @MessagePattern(Patterns.key('versions'))
  @Access(DataActions.keysRead, keyScope)
  async handle(@Payload() req: KeyVersionsRequest, @VaultName() vaultName: string): Promise<Page<KeyItem>> {
    const vault = await this.vaults.require(vaultName);
    const head = await this.readModel.getKey(vaultName, req.name);
    if (!head || head.status !== 'active') throw keyNotFound(req.name);
    const page = await this.readModel.listKeyVersions(vaultName, req.name, decodeToken<number>(req.continuationToken, 'number'), pageSize(req.maxResults));
    return { value: page.rows.map((row) => toKeyItem(vault, req.name, viewOfKeyRow(row), true)), ...continuationOf(page, (row) => row.ordinal) };
  }
}
