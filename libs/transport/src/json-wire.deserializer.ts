import { ConsumerDeserializer, IncomingRequest } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';

/** Marks a body that is not a JSON object; WireValidationPipe turns it into BadParameter. */
export class MalformedBody {
  constructor(readonly reason: string) {}
}

/**
 * Reads a plain JSON request. The NATS subject is the pattern; NestJS needs an `id` to treat the
 * message as a request (not an event), so every message with a reply subject gets one.
 * An empty body is an empty object, so `nats req coffer.v1.status ''` works.
 */
export class JsonWireDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest {
    let data: unknown;
    if (value.length === 0) data = {};
    else {
      try {
        data = JSON.parse(Buffer.from(value).toString('utf8'));
        if (typeof data !== 'object' || data === null || Array.isArray(data)) data = new MalformedBody('the body must be a JSON object');
      } catch {
        data = new MalformedBody('the body is not valid JSON');
      }
    }
    return { id: options?.replyTo ?? randomUUID(), pattern: options?.channel ?? '', data };
  }
}
