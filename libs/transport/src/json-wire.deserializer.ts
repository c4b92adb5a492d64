import { ConsumerDeserializer, IncomingRequest } from '@nestjs/microservices';
import { badParameter, CofferError, InnerErrorCode, InnerErrorCodes } from '@coffer/contracts';
import { randomUUID } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { defaultJsonLimits, JsonLimits, scanJson } from './json-shape.scanner';

/** Marks a body that was refused before or while parsing; WireValidationPipe throws its error (BadParameter). */
export class MalformedBody {
  readonly error: CofferError;
  constructor(reason: string, inner: InnerErrorCode = InnerErrorCodes.MalformedRequest) {
    const what = inner === InnerErrorCodes.RequestTooLarge ? 'Request too large' : inner === InnerErrorCodes.RequestTooComplex ? 'Request too complex' : 'Malformed request';
    this.error = badParameter(`${what}: ${reason}.`, inner);
  }
}

/** Refuses bytes that are not UTF-8 (binary bodies) instead of replacing them. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a plain JSON request. The NATS subject is the pattern; NestJS needs an `id` to treat the
 * message as a request (not an event), so every message with a reply subject gets one.
 * An empty body is an empty object, so `nats req coffer.v1.status ''` works.
 *
 * Bounded before parsing: scanJson refuses oversized, too deep or too wide bodies and prototype
 * keys in one linear pass over the bytes, then the bytes must be UTF-8, and only then does
 * JSON.parse build objects. Refusals are never thrown here (the transport would not answer): the
 * body becomes a MalformedBody, which the validation pipe turns into BadParameter.
 */
export class JsonWireDeserializer implements ConsumerDeserializer {
  constructor(private readonly limits: JsonLimits = defaultJsonLimits()) {}

  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest {
    return { id: options?.replyTo ?? randomUUID(), pattern: options?.channel ?? '', data: this.parse(value) };
  }

  private parse(value: Uint8Array): unknown {
    if (value.length === 0) return {};
    const refusal = scanJson(value, this.limits);
    if (refusal) return new MalformedBody(refusal.reason, refusal.inner);
    let text: string;
    try {
      text = utf8.decode(value);
    } catch {
      return new MalformedBody('the body is not UTF-8 text');
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return new MalformedBody('the body is not valid JSON');
    }
    return typeof data !== 'object' || data === null || Array.isArray(data) ? new MalformedBody('the body must be a JSON object') : data;
  }
}
