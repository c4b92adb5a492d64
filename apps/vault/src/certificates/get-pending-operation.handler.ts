import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, CertificateOperation, DataActions, InnerErrorCodes, notFound, Patterns, PendingCertificateRecord } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope } from './certificate.kind';
import { pendingOperation } from './certificate.mapper';

/** The operation waiting for an external CA, with its CSR (issuer Unknown). */
@Controller()
export class GetPendingOperationHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly certificates: CertificateReadModel) {}

  @MessagePattern(Patterns.certificate('pending.get'))
  @Access(DataActions.certificatesRead, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string): Promise<CertificateOperation> {
    await this.vaults.require(vaultName);
    const head = await this.certificates.getCertificate(vaultName, req.name);
    if (!head?.pending || head.status !== 'active') throw notFound(`Certificate '${req.name}' has no pending operation.`, InnerErrorCodes.PendingOperationNotFound);
    return pendingOperation(vaultName, req.name, JSON.parse(head.pending) as PendingCertificateRecord);
  }
}
