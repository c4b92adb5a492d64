import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateItem, CertificateVersionsRequest, DataActions, Page, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { decodeToken, pageSize } from '../paging/continuation-token';
import { continuationOf } from '../paging/page-reply';
import { VaultName } from '../request/request-context.decorators';
import { certificateScope } from './certificate.kind';
import { toCertificateItem } from './certificate.mapper';
import { CertificateReader } from './certificate.reader';

/** Every version of a certificate, oldest first. */
@Controller()
export class ListCertificateVersionsHandler {
  constructor(private readonly certificates: CertificateReadModel, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('versions'))
  @Access(DataActions.certificatesRead, certificateScope)
  async handle(@Payload() req: CertificateVersionsRequest, @VaultName() vaultName: string): Promise<Page<CertificateItem>> {
    const { vault } = await this.reader.version(vaultName, req.name);
    const page = await this.certificates.listVersions(vaultName, req.name, decodeToken<number>(req.continuationToken, 'number'), pageSize(req.maxResults));
    return { value: page.rows.map((row) => toCertificateItem(vault, req.name, row, true)), ...continuationOf(page, (row) => row.ordinal) };
  }
}
