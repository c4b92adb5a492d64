import { Inject, Injectable } from '@nestjs/common';
import { CofferError, ErrorCodes, InnerErrorCodes, InternalSubjects, isWireErrorReply, serviceUnavailable } from '@coffer/contracts';
import { NatsConnection, NatsError } from 'nats';
import { NATS_CONNECTION } from '../infrastructure/tokens';

export type AuditServiceOp = 'query' | 'verify' | 'usage' | 'status' | 'feed';

/** How long the vault waits for the audit app; verification re-reads the whole stream, so it gets longer. */
export const AUDIT_SERVICE_TIMEOUT_MS: Record<AuditServiceOp, number> = { query: 10_000, usage: 10_000, status: 2_000, verify: 120_000, feed: 10_000 };

/** Request-reply to the audit app over InternalSubjects.audit(op). */
@Injectable()
export class AuditServiceClient {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async call<T>(op: AuditServiceOp, body: object, timeout = AUDIT_SERVICE_TIMEOUT_MS[op]): Promise<T> {
    let data: Uint8Array;
    try {
      data = (await this.nc.request(InternalSubjects.audit(op), Buffer.from(JSON.stringify(body)), { timeout })).data;
    } catch (err) {
      const code = (err as NatsError).code;
      throw serviceUnavailable(
        `The audit service is unavailable (${code === '503' ? 'no responders' : code === 'TIMEOUT' ? 'timed out' : 'request failed'}).`,
        InnerErrorCodes.AuditUnavailable,
      );
    }
    const reply = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    if (isWireErrorReply(reply)) {
      // The audit app's caller errors (BadParameter) pass through; anything else is its fault, not the caller's.
      if (reply.error.code === ErrorCodes.BadParameter) throw new CofferError(ErrorCodes.BadParameter, reply.error.message, reply.error.innererror?.code);
      throw serviceUnavailable('The audit service failed to answer.', InnerErrorCodes.AuditUnavailable);
    }
    return reply as T;
  }
}
