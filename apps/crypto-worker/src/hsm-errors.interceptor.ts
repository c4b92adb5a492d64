import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { hsmErrorToCoffer, isDeviceFailure } from './hsm-error.mapper';
import { observeHsmCall } from './hsm-metrics';

/**
 * Turns HsmErrors from any handler into CofferErrors, so handlers stay one line. Device failures
 * are logged here (code, PKCS#11 return value and subject; never the request body), because the
 * caller only sees "the HSM is unavailable". Each operation's time and outcome go to the HSM metrics.
 */
@Injectable()
export class HsmErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HsmErrors');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const startedAt = performance.now();
    const rpc = context.switchToRpc();
    const subject: string = rpc.getContext()?.getSubject?.() ?? '?';
    return next.handle().pipe(
      tap({ complete: () => observeHsmCall(subject, rpc.getData(), startedAt) }),
      catchError((err: unknown) => {
        observeHsmCall(subject, rpc.getData(), startedAt, err);
        if (isDeviceFailure(err)) this.logger.error(`${subject}: ${err.code}: ${err.message}`);
        return throwError(() => hsmErrorToCoffer(err, subject));
      }),
    );
  }
}
