import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateBundle, CertificateUpdateRequest, DataActions, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope, CertificateWriter } from './certificate.kind';
import { CertificateReader } from './certificate.reader';

/** Enables/disables a version and sets its tags (validity comes from the certificate itself); check-and-set with ifMatch. */
@Controller()
export class UpdateCertificateHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: CertificateWriter, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('update'))
  @Access(DataActions.certificatesUpdate, certificateScope)
  async handle(@Payload() req: CertificateUpdateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateBundle> {
    await this.vaults.require(vaultName);
    const outcome = await this.writer.run(vaultName, req.name, request, req.version, (now) => ({
      type: 'UpdateCertificateAttributes', name: req.name, version: req.version, enabled: req.attributes?.enabled, tags: req.tags, ifMatch: req.ifMatch, now,
    }));
    return this.reader.bundle(vaultName, req.name, outcome.event.data.version);
  }
}
