import { AuditStreams } from '@coffer/contracts';
import { JetStreamManager, RetentionPolicy, StorageType, StreamConfig } from 'nats';

const STREAM_NOT_FOUND = 10059;

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

function isStreamNotFound(err: unknown): boolean {
  const api = (err as { api_error?: { err_code?: number } }).api_error;
  return api?.err_code === STREAM_NOT_FOUND || /stream not found/i.test((err as Error).message ?? '');
}

/** Creates the audit streams when missing (existing ones are left as an operator tuned them). */
export async function ensureAuditStreams(jsm: JetStreamManager): Promise<void> {
  for (const config of AUDIT_STREAM_CONFIGS) {
    try {
      await jsm.streams.info(config.name!);
      continue;
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    try {
      await jsm.streams.add(config);
    } catch (err) {
      await jsm.streams.info(config.name!).catch(() => Promise.reject(err));
    }
  }
}
