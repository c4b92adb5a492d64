import { AuditStreams } from '@coffer/contracts';
import { ensureStreams } from '@coffer/event-store';
import { DiscardPolicy, JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from 'nats';

/** The configured limits of the audit streams (CofferConfig.audit). */
export interface AuditStreamLimits {
  streamMaxBytes: number;
  streamMaxMessages: number;
  checkpointsMaxBytes: number;
}

/**
 * COFFER_AUDIT (records, one subject per vault or _system) and COFFER_AUDIT_CHECKPOINTS, bounded
 * with discard 'new': at its limit a stream refuses the publish (the request then fails with
 * AuditStoreFull) and never drops an old record to make room.
 */
export function auditStreamConfigs(limits: AuditStreamLimits): Partial<StreamConfig>[] {
  return [
    {
      name: AuditStreams.records.name,
      subjects: [...AuditStreams.records.subjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_bytes: limits.streamMaxBytes,
      max_msgs: limits.streamMaxMessages,
    },
    {
      name: AuditStreams.checkpoints.name,
      subjects: [...AuditStreams.checkpoints.subjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_bytes: limits.checkpointsMaxBytes,
    },
  ];
}

const LIMIT_FIELDS = ['discard', 'max_bytes', 'max_msgs'] as const;

/**
 * Creates the audit streams when missing, and gives existing ones (deployments from before the
 * limits) the configured limits and discard policy. Only those fields are changed; a stream whose
 * content already exceeds a new limit keeps every message and simply refuses new ones.
 */
export async function ensureAuditStreams(jsm: JetStreamManager, limits: AuditStreamLimits, replicas = 1): Promise<void> {
  const configs = auditStreamConfigs(limits);
  await ensureStreams(jsm, configs, replicas);
  for (const wanted of configs) {
    const current = (await jsm.streams.info(wanted.name!)).config;
    const changed = LIMIT_FIELDS.filter((f) => wanted[f] !== undefined && wanted[f] !== current[f]);
    if (changed.length === 0) continue;
    await jsm.streams.update(wanted.name!, { ...current, ...Object.fromEntries(changed.map((f) => [f, wanted[f]])) });
  }
}
