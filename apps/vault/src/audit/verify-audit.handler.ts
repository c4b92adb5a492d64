import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditVerifyReply, AuditVerifyRequest, AuthSubjects, DataActions } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { AuditServiceClient } from './audit-service.client';

/** `coffer audit verify`: re-reads the audit stream and checks the hash chain and the signed checkpoints. */
@Controller()
export class VerifyAuditHandler {
  constructor(private readonly audit: AuditServiceClient) {}

  @MessagePattern(AuthSubjects.audit('verify'))
  @Access(DataActions.auditRead, () => ({ level: 'all' }))
  handle(@Payload() req: AuditVerifyRequest): Promise<AuditVerifyReply> {
    return this.audit.call<AuditVerifyReply>('verify', { ...req });
  }
}
