import { Access } from '../auth/access.decorator';
import { secretScope } from './secret.kind';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ListVersionsRequest, Page, Patterns, SecretItem, secretNotFound, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toSecretItem, viewOfRow } from './secret.mapper';

@Controller()
export class ListSecretVersionsHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory) {}

  @MessagePattern(Patterns.secret('versions'))

  @Access(DataActions.secretsReadMetadata, secretScope)
  async handle(@Payload() req: ListVersionsRequest, @VaultName() vaultName: string): Promise<Page<SecretItem>> {
    const vault = await this.vaults.require(vaultName);
    const head = await this.readModel.getSecret(vaultName, req.name);
    if (!head || head.status !== 'active') throw secretNotFound(req.name);
    const page = await this.readModel.listVersions(vaultName, req.name, decodeToken<number>(req.continuationToken, 'number'), pageSize(req.maxResults));
    const last = page.rows[page.rows.length - 1];
    return {
      value: page.rows.map((row) => toSecretItem(vault, req.name, viewOfRow(row), true)),
      ...(page.hasMore && last && { continuationToken: encodeToken(last.ordinal) }),
    };
  }
}
