import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuditUsageRequest, AuthSubjects, DataActions, ObjectUsage } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { AuditServiceClient } from './audit-service.client';

/** `coffer secret show --usage`: who last read each version of an object, when, and how often. */
@Controller()
export class AuditUsageHandler {
  constructor(private readonly audit: AuditServiceClient) {}

  @MessagePattern(AuthSubjects.audit('usage'))
  @Access(DataActions.auditRead, () => ({ level: 'all' }))
  handle(@Payload() req: AuditUsageRequest): Promise<ObjectUsage> {
    return this.audit.call<ObjectUsage>('usage', { ...req });
  }
}
