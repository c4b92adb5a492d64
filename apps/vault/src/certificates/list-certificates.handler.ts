import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateItem, DataActions, Page, PageRequest, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { toCertificateItem } from './certificate.mapper';
import { CertificateReader } from './certificate.reader';

/** Certificates of a vault by name; each shows its latest version. */
@Controller()
export class ListCertificatesHandler {
  constructor(private readonly certificates: CertificateReadModel, private readonly vaults: VaultDirectory, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('list'))
  @Access(DataActions.certificatesRead, vaultScope)
  async handle(@Payload() req: PageRequest, @VaultName() vaultName: string): Promise<Page<CertificateItem>> {
    const vault = await this.vaults.require(vaultName);
    const page = await this.certificates.listCertificates(vaultName, 'active', decodeToken<string>(req.continuationToken, 'string'), pageSize(req.maxResults));
    const value: CertificateItem[] = [];
    for (const head of page.rows) value.push(toCertificateItem(vault, head.name, await this.reader.currentOf(head), false));
    return { value, ...continuationOf(page, (head) => head.name) };
  }
}
