import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, DataActions, DeletedCertificateBundle, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope } from './certificate-scope';
import { CertificateReader } from './certificate.reader';

@Controller()
export class GetDeletedCertificateHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('deleted.get'))
  @Access(DataActions.certificatesRead, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string): Promise<DeletedCertificateBundle> {
    return this.reader.deleted(await this.vaults.require(vaultName), req.name);
  }
}
