import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_SETTINGS } from '../gateway.tokens';
import { GatewaySettings } from '../gateway-settings';
import { CofferRequestError } from '@coffer/client';
import { AzureError, toAzureError } from './azure-error';
import { challengeHeader } from './challenge';
import { edgeErrorOf } from './edge';
import { contextOf } from './request-context';

/** Every failure leaves as Azure's status and `{"error":{"code","message"}}`; a 401 carries the challenge again. */
@Catch()
export class AzureExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const error = azureErrorOf(exception);
    sendAzureError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error, this.settings);
    // A bug (not a refusal the vault or the edge decided on): its details go to the log, never to the caller.
    if (error.status === 500 && !(exception instanceof AzureError) && !(exception instanceof CofferRequestError)) {
      this.logger.error(`unexpected failure: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
  }
}

export function azureErrorOf(exception: unknown): AzureError {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) return new AzureError(404, 'NotFound', 'The requested operation does not exist: no such path or method.');
    if (status === 405) return new AzureError(405, 'MethodNotAllowed', 'The method is not allowed on this path.');
    if (status === 413) return new AzureError(413, 'RequestBodyTooLarge', 'The request body is too large.');
    return AzureError.badParameter(exception.message);
  }
  return edgeErrorOf(exception) ?? toAzureError(exception);
}

export function sendAzureError(request: FastifyRequest, reply: FastifyReply, error: AzureError, settings: GatewaySettings): void {
  if (error.status === 401) {
    const addressee = (() => {
      try {
        return contextOf(request).addressee;
      } catch {
        return undefined;
      }
    })();
    if (addressee?.kind === 'vault') reply.header('www-authenticate', challengeHeader(settings, addressee.origin, settings.tls ? 'https' : 'http'));
  }
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply.status(error.status).header('content-type', 'application/json; charset=utf-8').send(error.body());
}
