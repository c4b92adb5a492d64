import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { CofferError, ErrorCodes, WireError } from '@coffer/contracts';
import { Observable, throwError } from 'rxjs';

/**
 * Maps anything a handler throws to a WireError. CofferError messages are written for callers;
 * any other error is logged here (name and message only: never request bodies) and reported to the
 * caller as InternalError, so internals never leak.
 */
@Catch()
export class WireExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('WireExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof CofferError) return throwError(() => exception.toWire());
    const subject = host.switchToRpc().getContext()?.getSubject?.() ?? '?';
    const err = exception as Error;
    this.logger.error(`${subject}: ${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`, err?.stack);
    const wire: WireError = { code: ErrorCodes.InternalError, message: 'The service failed to process the request.' };
    return throwError(() => wire);
  }
}
