import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthSubjects, DataActions, FetchAuditFeedReply, FetchAuditFeedRequest } from '@coffer/contracts';
import { Access } from '../auth/access.decorator';
import { AUDIT_SERVICE_TIMEOUT_MS, AuditServiceClient } from './audit-service.client';

/**
 * `coffer audit tail`: a page of the audit feed. A reader of one vault needs Coffer Audit Reader
 * (or any role granting audit read) at that vault and gets only that vault's records whole; of the
 * whole chain, at the root. The scope is the request's own, checked here on every page.
 */
@Controller()
export class AuditFeedHandler {
  constructor(private readonly audit: AuditServiceClient) {}

  @MessagePattern(AuthSubjects.audit('feed'))
  @Access(DataActions.auditRead, (req) => (typeof req.vault === 'string' ? { level: 'vault', vault: req.vault } : { level: 'all' }))
  handle(@Payload() req: FetchAuditFeedRequest): Promise<FetchAuditFeedReply> {
    // A long poll waits in the audit app: the vault waits that long more.
    return this.audit.call<FetchAuditFeedReply>('feed', { ...req }, AUDIT_SERVICE_TIMEOUT_MS.feed + (req.waitMs ?? 0));
  }
}
