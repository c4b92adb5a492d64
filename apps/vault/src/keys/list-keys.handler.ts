import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, KeyItem, Page, PageRequest, Patterns } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toKeyItem } from './key.mapper';
import { KeyReader } from './key.reader';

/** Keys of a vault by name; each item shows its latest version's attributes. */
@Controller()
export class ListKeysHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory, private readonly reader: KeyReader) {}

  @MessagePattern(Patterns.key('list'))
  @Access(DataActions.keysRead, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<KeyItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.readModel.listKeys(vaultName, 'active', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: KeyItem[] = [];
    for (const head of page.rows) value.push(toKeyItem(vault, head.name, await this.reader.currentOf(head), false));
    return { value, ...continuationOf(page, (head) => head.name) };
  }
}
