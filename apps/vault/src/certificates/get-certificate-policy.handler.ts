import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateNameRequest, certificateNotFound, CertificatePolicy, DataActions, Patterns } from '@coffer/contracts';
import { CertificateReadModel } from '@coffer/read-model';
import { Access } from '../auth/access.decorator';
import { VaultName } from '../request/request-context.decorators';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope } from './certificate.kind';

/** The certificate's current policy (also while its first operation is pending). */
@Controller()
export class GetCertificatePolicyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly certificates: CertificateReadModel) {}

  @MessagePattern(Patterns.certificate('policy.get'))
  @Access(DataActions.certificatesRead, certificateScope)
  async handle(@Payload() req: CertificateNameRequest, @VaultName() vaultName: string): Promise<CertificatePolicy> {
    await this.vaults.require(vaultName);
    const head = await this.certificates.getCertificate(vaultName, req.name);
    if (!head || head.status !== 'active') throw certificateNotFound(req.name);
    return JSON.parse(head.policy) as CertificatePolicy;
  }
}
