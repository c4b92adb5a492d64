import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { hsmErrorToCoffer, isDeviceFailure } from './hsm-error.mapper';

/**
 * Turns HsmErrors from any handler into CofferErrors, so handlers stay one line. Device failures
 * are logged here (code, PKCS#11 return value and subject; never the request body), because the
 * caller only sees "the HSM is unavailable".
 */
@Injectable()
export class HsmErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HsmErrors');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        const subject: string | undefined = context.switchToRpc().getContext()?.getSubject?.();
        if (isDeviceFailure(err)) this.logger.error(`${subject ?? '?'}: ${err.code}: ${err.message}`);
        return throwError(() => hsmErrorToCoffer(err, subject));
      }),
    );
  }
}
