import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateDownload, CertificateDownloadRequest, DataActions, Patterns } from '@coffer/contracts';
import { pemOf } from '@coffer/x509';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { certificateScope } from './certificate.kind';
import { CertificateReader } from './certificate.reader';

/** The public certificate (no key): PEM with its chain, or the DER of the certificate alone. */
@Controller()
export class DownloadCertificateHandler {
  constructor(private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('download'))
  @Access(DataActions.certificatesRead, certificateScope)
  async handle(@Payload() req: CertificateDownloadRequest, @VaultName() vaultName: string): Promise<CertificateDownload> {
    const { row } = await this.reader.version(vaultName, req.name, req.version);
    if (req.encoding === 'DER') return { encoding: 'DER', value: row.cer };
    const chain = JSON.parse(row.chain) as string[];
    return { encoding: 'PEM', value: [row.cer, ...chain].map((c) => pemOf(Buffer.from(c, 'base64'), 'CERTIFICATE')).join('') };
  }
}
