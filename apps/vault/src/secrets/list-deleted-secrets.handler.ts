import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeletedSecretItem, Page, PageRequest, Patterns, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { SecretItemReader } from './secret-item.reader';

@Controller()
export class ListDeletedSecretsHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory, private readonly items: SecretItemReader) {}

  @MessagePattern(Patterns.secret('deleted.list'))

  @Access(DataActions.secretsReadMetadata, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<DeletedSecretItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.readModel.listSecrets(vaultName, 'deleted', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: DeletedSecretItem[] = [];
    for (const head of page.rows) value.push(await this.items.deletedOf(vault, head));
    const last = page.rows[page.rows.length - 1];
    return { value, ...(page.hasMore && last && { continuationToken: encodeToken(last.name) }) };
  }
}
