import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { CofferError, ErrorCodes, WireError } from '@coffer/contracts';
import { Observable, throwError } from 'rxjs';

const logger = new Logger('WireExceptionFilter');

/**
 * Maps anything thrown while handling a request to a WireError. CofferError messages are written
 * for callers; any other error is logged here (name and message only: never request bodies) and
 * reported to the caller as InternalError, so internals never leak.
 */
export function toWireError(exception: unknown, subject: string): WireError {
  if (exception instanceof CofferError) {
    // An outage the caller may retry: the operator still needs its cause, which the caller never sees.
    if (exception.code === ErrorCodes.ServiceUnavailable && exception.cause !== undefined) {
      const detail = (exception as { detail?: string }).detail ?? (exception.cause as Error)?.message;
      logger.warn(`${subject}: ${exception.innerCode ?? exception.code}: ${detail}`);
    }
    return exception.toWire();
  }
  const err = exception as Error;
  logger.error(`${subject}: ${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`, err?.stack);
  return { code: ErrorCodes.InternalError, message: 'The service failed to process the request.' };
}

/** toWireError as the NestJS exception filter of every handler. */
@Catch()
export class WireExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const wire = toWireError(exception, host.switchToRpc().getContext()?.getSubject?.() ?? '?');
    return throwError(() => wire);
  }
}
