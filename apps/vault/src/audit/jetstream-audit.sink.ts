import { AuditRecord, AuditStreams, CofferError, ErrorCodes, InnerErrorCodes, SYSTEM_SCOPE, VAULT_NAME } from '@coffer/contracts';
import { JetStreamClient, NatsConnection, NatsError } from 'nats';
import { AuditSink } from './audit-sink';

/** How long one audit publish may wait for the stream's acknowledgement. */
export const AUDIT_PUBLISH_TIMEOUT_MS = 5_000;

/** The audit subject scope of a record: its vault (from the object id), else `_system`. */
export function auditScopeOf(record: AuditRecord): string {
  const vault = /^\/vaults\/([^/]+)/.exec(record.objectId)?.[1];
  return vault !== undefined && VAULT_NAME.test(vault) ? vault : SYSTEM_SCOPE;
}

/** The request fails with this when its audit record cannot be persisted (no unaudited access). */
export function auditUnavailable(cause: unknown): CofferError {
  return new CofferError(
    ErrorCodes.ServiceUnavailable,
    'The audit trail is unavailable: the request was refused because it could not be audited.',
    InnerErrorCodes.AuditUnavailable,
    { cause },
  );
}

/**
 * Publishes each audit record to COFFER_AUDIT and resolves once the stream acknowledged it.
 * Concurrent calls are pipelined by JetStream (each publish is one in-flight request on the shared
 * connection), so requests never wait for each other's acks. The ack must come from COFFER_AUDIT;
 * a missing stream (no responders), a timeout or a closed connection rejects with ServiceUnavailable / AuditUnavailable.
 *
 * Cost (measured, one 2-core machine, file storage): about 0.3 ms per record one at a time, and
 * 14-17k records/s at 64-2000 in flight (the same as a raw JetStream publish). The acknowledging
 * stream is checked from the ack rather than with an `expect` header, which cost a quarter of
 * the throughput.
 */
export class JetStreamAuditSink implements AuditSink {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection, private readonly timeoutMs = AUDIT_PUBLISH_TIMEOUT_MS) {
    this.js = nc.jetstream({ timeout: timeoutMs });
  }

  async record(record: AuditRecord): Promise<void> {
    try {
      const ack = await this.js.publish(AuditStreams.records.subject(auditScopeOf(record)), JSON.stringify(record), { timeout: this.timeoutMs });
      if (ack.stream !== AuditStreams.records.name) throw new Error(`acknowledged by stream ${ack.stream}`);
    } catch (err) {
      throw auditUnavailable(err instanceof NatsError ? new Error(`audit publish failed: ${err.code}`) : err);
    }
  }
}
