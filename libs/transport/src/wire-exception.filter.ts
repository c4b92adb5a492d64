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
    if (exception.code === ErrorCodes.ServiceUnavailable && exception.cause !== undefined) logOutage(exception, subject);
    return exception.toWire();
  }
  const err = exception as Error;
  logger.error(`${subject}: ${err?.name ?? 'Error'}: ${err?.message ?? String(exception)}`, err?.stack);
  return { code: ErrorCodes.InternalError, message: 'The service failed to process the request.' };
}

const outages = new Map<string, { loggedAt: number; suppressed: number }>();

/** At most one line a second per kind of outage (an outage fails every request), with the count left out. */
function logOutage(exception: CofferError, subject: string): void {
  const kind = String(exception.innerCode ?? exception.code);
  const now = Date.now();
  const seen = outages.get(kind);
  if (seen && now - seen.loggedAt < 1000) {
    seen.suppressed++;
    return;
  }
  const detail = (exception as { detail?: string }).detail ?? (exception.cause as Error)?.message;
  const more = seen?.suppressed ? ` (and ${seen.suppressed} more in the last second)` : '';
  logger.warn(`${subject}: ${kind}: ${detail}${more}`);
  outages.set(kind, { loggedAt: now, suppressed: 0 });
}

/** toWireError as the NestJS exception filter of every handler. */
@Catch()
export class WireExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const wire = toWireError(exception, host.switchToRpc().getContext()?.getSubject?.() ?? '?');
    return throwError(() => wire);
  }
}
