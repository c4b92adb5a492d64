import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DeletedKeyItem, Page, PageRequest, Patterns } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { KeyReader } from './key.reader';

@Controller()
export class ListDeletedKeysHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('deleted.list'))
  @Access(DataActions.keysRead, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<DeletedKeyItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.readModel.listKeys(vaultName, 'deleted', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: DeletedKeyItem[] = [];
    for (const head of page.rows) value.push(await this.reader.deletedItemOf(vault, head));
    return { value, ...continuationOf(page, (head) => head.name) };
  }
}
