import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateBundle, CertificateGetRequest, DataActions, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { certificateScope } from './certificate.kind';
import { CertificateReader } from './certificate.reader';

/** A version (the latest by default): `cer`, `x5t`, `kid`, `sid`, policy and attributes. */
@Controller()
export class GetCertificateHandler {
  constructor(private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('get'))
  @Access(DataActions.certificatesRead, certificateScope)
  handle(@Payload() req: CertificateGetRequest, @VaultName() vaultName: string): Promise<CertificateBundle> {
    return this.reader.bundle(vaultName, req.name, req.version);
  }
}
