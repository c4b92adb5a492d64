import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataActions, DeletedCertificateItem, Page, PageRequest, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toDeletedCertificateItem } from './certificate.mapper';
import { CertificateReader } from './certificate.reader';

@Controller()
export class ListDeletedCertificatesHandler {
  constructor(private readonly certificates: CertificateReadModel, private readonly vaults: VaultDirectory, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('deleted.list'))
  @Access(DataActions.certificatesRead, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<DeletedCertificateItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.certificates.listCertificates(vaultName, 'deleted', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: DeletedCertificateItem[] = [];
    for (const head of page.rows) value.push(toDeletedCertificateItem(vault, head, await this.reader.currentOf(head)));
    return { value, ...continuationOf(page, (head) => head.name) };
  }
}
