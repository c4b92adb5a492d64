import { AuditCapacityMonitor } from './audit-capacity.monitor';
import { AuditServiceClient } from './audit-service.client';
import { auditSinkProvider } from './audit-sink.provider';
import { AuditFeedHandler } from './audit-feed.handler';
import { AuditUsageHandler } from './audit-usage.handler';
import { QueryAuditHandler } from './query-audit.handler';
import { VerifyAuditHandler } from './verify-audit.handler';
import { VaultFeature } from '../vault-feature';

export * from './audit-sink';
export * from './audit-sink.provider';
export * from './audit-capacity.monitor';
export * from './audit-noise-aggregator';
export * from './jetstream-audit.sink';
export * from './audit-service.client';
export * from './query-audit.handler';
export * from './verify-audit.handler';
export * from './audit-usage.handler';
export * from './audit-feed.handler';

/** The audit trail: the public audit handlers, the sink and the audit-app client. */
export const AUDIT_FEATURE: VaultFeature = {
  controllers: [QueryAuditHandler, VerifyAuditHandler, AuditUsageHandler, AuditFeedHandler],
  providers: [AuditCapacityMonitor, auditSinkProvider, AuditServiceClient],
};
