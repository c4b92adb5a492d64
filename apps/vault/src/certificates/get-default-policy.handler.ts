import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificatePolicy, DataActions, EmptyRequest, Patterns } from '@coffer/contracts';
import { DEFAULT_CERTIFICATE_POLICY } from '@coffer/domain';
import { Access } from '../auth/access.decorator';
import { vaultScope } from '../auth/scopes';

/** The policy a create without one uses (Azure's default, but not exportable). */
@Controller()
export class GetDefaultPolicyHandler {
  @MessagePattern(Patterns.certificate('defaultpolicy'))
  @Access(DataActions.certificatesRead, vaultScope)
  handle(@Payload() _req: EmptyRequest): CertificatePolicy {
    return DEFAULT_CERTIFICATE_POLICY;
  }
}
