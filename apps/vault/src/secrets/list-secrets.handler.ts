import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Page, PageRequest, Patterns, SecretItem, DataActions } from '@coffer/contracts';
import { ReadModel } from '@coffer/read-model';
import { decodeToken, encodeToken, pageSize } from '../paging/continuation-token';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toSecretItem, viewOfRow } from './secret.mapper';

/** Secrets of a vault, by name, without values; each item shows its current version's attributes. */
@Controller()
export class ListSecretsHandler {
  constructor(private readonly readModel: ReadModel, private readonly vaults: VaultDirectory) {}

  @MessagePattern(Patterns.secret('list'))

  @Access(DataActions.secretsReadMetadata, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<SecretItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.readModel.listSecrets(vaultName, 'active', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: SecretItem[] = [];
    for (const head of page.rows) {
      const row = await this.readModel.getSecretVersion(vaultName, head.name, head.currentVersion);
      if (row) value.push(toSecretItem(vault, head.name, viewOfRow(row), false));
    }
    const last = page.rows[page.rows.length - 1];
    return { value, ...(page.hasMore && last && { continuationToken: encodeToken(last.name) }) };
  }
}
