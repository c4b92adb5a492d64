import { AuditRecord } from '@coffer/contracts';

/**
 * Where the vault's access control writes one audit record per request. `record` resolves only
 * once the record is durably in the audit stream; when it rejects, the request must fail (no
 * unaudited access). Implementations batch and pipeline so concurrent requests do not serialise.
 */
export interface AuditSink {
  record(record: AuditRecord): Promise<void>;
}

export const AUDIT_SINK = Symbol('AUDIT_SINK');
