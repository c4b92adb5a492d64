import { ErrorCodes, WireError } from '@coffer/contracts/protocol';

/**
 * Codes only the client produces: the service never sends them, they describe what happened on the
 * way to it. (`ServiceUnavailable` is shared: the service sends it too.)
 */
export const ClientErrorCodes = {
  RequestTimeout: 'RequestTimeout',
  ServiceUnavailable: ErrorCodes.ServiceUnavailable,
} as const;

/** Inner codes the client adds to explain a client-side failure. */
export const ClientInnerCodes = {
  NoResponders: 'NoResponders',
  ConnectionFailed: 'ConnectionFailed',
  ConnectionClosed: 'ConnectionClosed',
  MalformedReply: 'MalformedReply',
  InvalidArgument: 'InvalidArgument',
} as const;

/**
 * A failed Coffer request: a wire error the service replied with, or a transport failure mapped to
 * a code (no responders -> ServiceUnavailable, timeout -> RequestTimeout).
 * `subject` is the subject the request went to ('' for a failure to connect).
 */
export class CofferRequestError extends Error {
  override readonly name = 'CofferRequestError';

  constructor(
    readonly code: string,
    message: string,
    readonly subject: string,
    readonly innerCode?: string,
    readonly requestId?: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** With Throttled: how long the service asked the caller to wait before trying again (ms). */
  readonly retryAfterMs?: number;

  static fromWire(wire: WireError, subject: string, requestId?: string): CofferRequestError {
    const retryAfterMs = typeof wire.retryAfterMs === 'number' && Number.isFinite(wire.retryAfterMs) && wire.retryAfterMs >= 0 ? wire.retryAfterMs : undefined;
    return new CofferRequestError(wire.code, wire.message, subject, wire.innererror?.code, requestId, retryAfterMs === undefined ? undefined : { retryAfterMs });
  }

  /** The error as the wire protocol spells it (the CLI prints this with `-o json`). */
  toWire(): { error: { code: string; message: string; innererror?: { code: string }; retryAfterMs?: number } } {
    const error = { code: this.code, message: this.message, ...(this.innerCode && { innererror: { code: this.innerCode } }) };
    return { error: this.retryAfterMs === undefined ? error : { ...error, retryAfterMs: this.retryAfterMs } };
  }
}

/** True for a CofferRequestError; with `code`, only if its code or inner code equals it. */
export function isCofferError(e: unknown, code?: string): e is CofferRequestError {
  if (!(e instanceof CofferRequestError)) return false;
  return code === undefined || e.code === code || e.innerCode === code;
}

/** A caller mistake caught before anything is sent. */
export function invalidArgument(message: string, subject = ''): CofferRequestError {
  return new CofferRequestError(ErrorCodes.BadParameter, message, subject, ClientInnerCodes.InvalidArgument);
}
