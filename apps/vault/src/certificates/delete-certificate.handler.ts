import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, DataActions, DeletedCertificateBundle, Patterns } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { deletedCertificateId } from './certificate-ids';
import { CertificateCommands } from './certificate-commands';
import { certificateScope } from './certificate-scope';
import { CertificateReader } from './certificate.reader';

/** Soft delete of the certificate with its key and secret: recoverable until the scheduled purge date. */
@Controller()
export class DeleteCertificateHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly commands: CertificateCommands, private readonly reader: CertificateReader) {}

  @MessagePattern(Patterns.certificate('delete'))
  @Access(DataActions.certificatesDelete, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<DeletedCertificateBundle> {
    const vault = await this.vaults.require(vaultName);
    await this.commands.run(vaultName, req.name, request, false, (now) => ({
      type: 'DeleteCertificate', name: req.name, retentionDays: vault.retentionDays, recoveryId: deletedCertificateId(vaultName, req.name), now,
    }));
    return this.reader.deleted(vault, req.name);
  }
}
