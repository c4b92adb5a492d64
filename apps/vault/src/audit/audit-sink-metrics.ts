import { appMetrics, LATENCY_BUCKETS } from '@coffer/observability';

const metrics = appMetrics('vault');

/** Records per audit message (group commit): near 1 when idle, growing with load. */
export const auditGroupRecords = metrics.histogram({
  name: 'coffer_audit_group_records',
  help: 'Audit records the vault published together in one COFFER_AUDIT message (group commit)',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
});

/** How long an audit group waited for JetStream's acknowledgement: every request waits this long for its record. */
export const auditPublishSeconds = metrics.histogram({
  name: 'coffer_audit_publish_duration_seconds',
  help: 'Time from publishing an audit group to its JetStream acknowledgement (the audit lag each request sees)',
  buckets: LATENCY_BUCKETS,
});

/** Audit groups that could not be persisted (their requests failed): reason unavailable or full. */
export const auditPublishFailures = metrics.counter({
  name: 'coffer_audit_publish_failures_total',
  help: 'Audit records the vault could not persist (each failed its request), by reason: unavailable, full',
  labelNames: ['reason'] as const,
});
