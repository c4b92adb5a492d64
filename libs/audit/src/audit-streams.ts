import { AuditStreams } from '@coffer/contracts';
import { ensureStreams } from '@coffer/event-store';
import { JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from 'nats';

/** COFFER_AUDIT (records, one subject per vault or _system) and COFFER_AUDIT_CHECKPOINTS. */
export const AUDIT_STREAM_CONFIGS: Partial<StreamConfig>[] = [
  {
    name: AuditStreams.records.name,
    subjects: [...AuditStreams.records.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  },
  {
    name: AuditStreams.checkpoints.name,
    subjects: [...AuditStreams.checkpoints.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  },
];

/** Creates the audit streams when missing (existing ones are left as an operator tuned them). */
export function ensureAuditStreams(jsm: JetStreamManager, replicas = 1): Promise<void> {
  return ensureStreams(jsm, AUDIT_STREAM_CONFIGS, replicas);
}
