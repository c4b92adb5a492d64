import { AuditStreams } from '@coffer/contracts';
import { ensureStreams, streamDrift } from '@coffer/event-store';
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
 * AuditStoreFull) and never drops an old record to make room. Never purged, no message ever
 * deleted (see STREAM_PROTECTION). Provisioning (coffer-admin) creates them so and brings existing
 * ones to these settings; an app creates them only when provisioning never ran.
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
      deny_purge: true,
      deny_delete: true,
    },
    {
      name: AuditStreams.checkpoints.name,
      subjects: [...AuditStreams.checkpoints.subjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New,
      max_bytes: limits.checkpointsMaxBytes,
      deny_purge: true,
      deny_delete: true,
    },
  ];
}

/**
 * What an app does at start (its NATS user may create the audit streams but not update them):
 * creates them when missing, and returns how existing ones differ from the configured limits and
 * protection (e.g. a deployment whose provisioning has not run since the settings changed), for
 * the caller to log. The stream's own limits are the ones enforced and reported by `coffer status`.
 */
export async function ensureAuditStreams(jsm: JetStreamManager, limits: AuditStreamLimits, replicas = 1): Promise<string[]> {
  const configs = auditStreamConfigs(limits);
  await ensureStreams(jsm, configs, replicas);
  const drift: string[] = [];
  for (const wanted of configs) {
    const current = (await jsm.streams.info(wanted.name!)).config;
    drift.push(...streamDrift(wanted, current).map((f) => `${wanted.name}.${f} is ${String(current[f])}, configured ${String(wanted[f])}`));
  }
  return drift;
}
