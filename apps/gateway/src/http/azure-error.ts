import { ErrorCodes } from '@coffer/contracts';
import { CofferRequestError } from '@coffer/client';

/** Azure Key Vault's error reply: an HTTP status and `{"error":{"code","message","innererror"?}}`. */
export class AzureError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    /** Throttled: seconds the caller should wait (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static badParameter(message: string, innerCode?: string): AzureError {
    return new AzureError(400, ErrorCodes.BadParameter, message, innerCode);
  }

  body(): { error: { code: string; message: string; innererror?: { code: string } } } {
    return { error: { code: this.code, message: this.message, ...(this.innerCode && { innererror: { code: this.innerCode } }) } };
  }
}

/** Coffer's error codes are Azure's; only the HTTP status has to be chosen. */
export function httpStatusOf(code: string): number {
  switch (code) {
    case ErrorCodes.BadParameter: return 400;
    case ErrorCodes.Unauthorized: return 401;
    case ErrorCodes.Forbidden: return 403;
    case ErrorCodes.VaultNotFound:
    case ErrorCodes.SecretNotFound:
    case ErrorCodes.KeyNotFound:
    case ErrorCodes.CertificateNotFound:
    case ErrorCodes.NotFound: return 404;
    case ErrorCodes.Conflict: return 409;
    case ErrorCodes.Throttled: return 429;
    case ErrorCodes.ServiceUnavailable:
    case 'RequestTimeout': return 503;
    default: return 500;
  }
}

/** Anything a handler threw, as the error the caller gets; internals (a bug's message) never leak. */
export function toAzureError(err: unknown): AzureError {
  if (err instanceof AzureError) return err;
  if (err instanceof CofferRequestError) {
    const status = httpStatusOf(err.code);
    const retryAfter = err.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    const code = err.code === 'RequestTimeout' ? ErrorCodes.ServiceUnavailable : err.code;
    const message = status === 500 ? 'The service encountered an internal error.' : err.message;
    return new AzureError(status, code, message, err.innerCode, retryAfter);
  }
  return new AzureError(500, ErrorCodes.InternalError, 'The service encountered an internal error.');
}
