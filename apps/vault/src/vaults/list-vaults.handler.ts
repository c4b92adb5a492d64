import { Access } from '../auth/access.decorator';
import { allScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Page, PageRequest, Patterns, VaultInfo, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { toVaultInfo } from './vault-info.mapper';

@Controller()
export class ListVaultsHandler {
  constructor(private readonly readModel: ReadModel) {}

  @MessagePattern(Patterns.vaultList)

  @Access(DataActions.vaultsRead, allScope)
  async handle(@Payload() req: PageRequest): Promise<Page<VaultInfo>> {
    const page = await this.readModel.listVaults(decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const last = page.rows[page.rows.length - 1];
    return { value: page.rows.map(toVaultInfo), ...(page.hasMore && last && { continuationToken: encodeToken(last.name) }) };
  }
}
