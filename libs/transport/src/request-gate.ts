import { WireError } from '@coffer/contracts';
import { NatsContext } from '@nestjs/microservices';

/** One request as the transport hands it to a RequestGate. */
export interface GatedRequest {
  /** The pattern (subscribed subject) whose handler will run. */
  pattern: string;
  /** The body as deserialized, not yet validated: a plain object, or a MalformedBody. */
  data: unknown;
  context: NatsContext;
}

/** What `handle` rejects with when the handler failed: the error reply WireExceptionFilter made of it. */
export class HandlerFailure {
  constructor(readonly wire: WireError) {}
}

/**
 * Stands in front of every handler of a service: the transport calls `pass` with the request and
 * `handle`, which runs the NestJS handler (validation pipes, the method, exception filters) and
 * resolves with its result or rejects with a HandlerFailure. What `pass` resolves with is the reply;
 * what it rejects with is replied as an error (a CofferError as its wire form, anything else as
 * InternalError). The vault's access control is one; it is not a NestJS interceptor because the
 * interceptor plumbing (rxjs, AsyncResource.bind per call) cost more per request than the checks.
 */
export interface RequestGate {
  pass(request: GatedRequest, handle: () => Promise<unknown>): Promise<unknown>;
  /** Told about each request dropped because its reply subject is not a caller inbox (ReplyGuard); must not throw. */
  replyRefused?(subject: string): void;
}

/** A provider under this token is put in front of every handler by createCofferMicroservice. */
export const REQUEST_GATE = Symbol('REQUEST_GATE');
