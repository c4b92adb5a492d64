import { Serializer } from '@nestjs/microservices';
import { ErrorCodes, WireError } from '@coffer/contracts';

interface OutgoingPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const INTERNAL: WireError = { code: ErrorCodes.InternalError, message: 'The service failed to process the request.' };

/**
 * Replies as plain JSON, not NestJS's envelope: the handler's result as is, or `{"error":{…}}`.
 * Errors reach this point already mapped to WireError by WireExceptionFilter; anything else is
 * reported as an internal error without detail.
 */
export class JsonWireSerializer implements Serializer<OutgoingPacket, { data: Uint8Array }> {
  serialize(packet: OutgoingPacket): { data: Uint8Array } {
    if (packet.err !== undefined) {
      const err = packet.err as WireError;
      const wire = typeof err?.code === 'string' && typeof err?.message === 'string' ? err : INTERNAL;
      return { data: Buffer.from(JSON.stringify({ error: wire })) };
    }
    return { data: Buffer.from(JSON.stringify(packet.response ?? {})) };
  }
}
