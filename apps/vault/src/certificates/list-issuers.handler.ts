import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, IssuerItem, Page, PageRequest, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toIssuerItem } from './certificate.mapper';

@Controller()
export class ListIssuersHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly certificates: CertificateReadModel) {}

  @MessagePattern(Patterns.issuer('list'))
  @Access(DataActions.certificateIssuersRead, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<IssuerItem>> {
    await this.vaults.require(vaultName);
    const page = await this.certificates.listIssuers(vaultName, decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    return { value: page.rows.map((row) => toIssuerItem(vaultName, row)), ...continuationOf(page, (row) => row.name) };
  }
}
