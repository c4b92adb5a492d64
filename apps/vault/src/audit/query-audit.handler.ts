import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditQueryRequest, AuthSubjects, DataActions } from '@coffer/contracts';
import { AuditQueryReply } from '@coffer/audit';
import { Access } from '../auth/access.decorator';
import { AuditServiceClient } from './audit-service.client';

/** `coffer audit query`: audit records by principal, object, action, outcome and time, newest first. */
@Controller()
export class QueryAuditHandler {
  constructor(private readonly audit: AuditServiceClient) {}

  @MessagePattern(AuthSubjects.audit('query'))
  @Access(DataActions.auditRead, () => ({ level: 'all' }))
  handle(@Payload() req: AuditQueryRequest): Promise<AuditQueryReply> {
    return this.audit.call<AuditQueryReply>('query', { ...req });
  }
}
