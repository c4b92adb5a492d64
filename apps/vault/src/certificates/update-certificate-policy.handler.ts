import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificatePolicy, CertificatePolicyUpdateRequest, DataActions, Patterns } from '@coffer/contracts';
import { resolveCertificatePolicy } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { Idempotency, VaultName } from '../request/request-context.decorators';
import { RequestKey } from '../commands/request-key';
import { VaultDirectory } from '../vaults/vault-directory';
import { certificateScope, CertificateWriter } from './certificate.kind';

/** Replaces the parts of the policy the request names (Azure's PATCH); the next version follows it. */
@Controller()
export class UpdateCertificatePolicyHandler {
  constructor(private readonly vaults: VaultDirectory, private readonly writer: CertificateWriter) {}

  @MessagePattern(Patterns.certificate('policy.update'))
  @Access(DataActions.certificatesUpdate, certificateScope)
  async handle(@Payload() req: CertificatePolicyUpdateRequest, @VaultName() vaultName: string, @Idempotency() request: RequestKey): Promise<CertificatePolicy> {
    await this.vaults.require(vaultName);
    const outcome = await this.writer.run(vaultName, req.name, request, false, (now, state) => ({
      type: 'SetCertificatePolicy', name: req.name, policy: resolveCertificatePolicy(req.policy, state.policy), now,
    }));
    return outcome.event.data.policy;
  }
}
