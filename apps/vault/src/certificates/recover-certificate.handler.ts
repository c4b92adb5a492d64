import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateBundle, CertificateNameRequest, DataActions, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { CertificateCommands } from './certificate-commands';
import { certificateScope } from './certificate-scope';
import { CertificateReader } from './certificate.reader';

/** Undoes a soft delete: the certificate, its key and its secret are usable again. */
@Controller()
export class RecoverCertificateHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: CertificateCommands, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('recover'))
  @Access(DataActions.certificatesRecover, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificateBundle> {
    await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, false, (now) => ({ type: 'RecoverCertificate', name: req.name, now }));
    return this.reader.bundle(vaultName, req.name);
  }
}
