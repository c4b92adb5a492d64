import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewaySettings } from '../gateway-settings';
import { addresseeOf, unsafePath } from './addressing';
import { AzureError } from './azure-error';
import { challengeHeader } from './challenge';
import { bindContext, RequestContext, requestIdFor, tokenOf } from './request-context';

/**
 * Everything decided before a body is read (Fastify's onRequest): the request id headers, which vault
 * the Host names, unsafe paths, and the 401 challenge for a request without a token — the Key Vault
 * SDKs send their first request without a body and expect exactly this.
 */
export function installEdge(fastify: FastifyInstance, settings: GatewaySettings): void {
  const scheme = settings.tls ? 'https' : 'http';
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const clientRequestId = single(request.headers['x-ms-client-request-id']);
    const context: RequestContext = {
      requestId: requestIdFor(clientRequestId),
      addressee: addresseeOf(single(request.headers.host), settings.domain, scheme),
      token: tokenOf(single(request.headers.authorization)),
    };
    bindContext(request, context);
    reply.header('x-ms-request-id', context.requestId);
    if (clientRequestId !== undefined) reply.header('x-ms-client-request-id', clientRequestId.slice(0, 256));
    if (unsafePath(request.raw.url ?? '')) throw AzureError.badParameter('The request path is not valid: encoded slashes, dot segments and backslashes are refused.');
    const { addressee } = context;
    if (addressee.kind === 'unknown') {
      throw new AzureError(404, 'VaultNotFound', `No vault is served at host '${addressee.host.slice(0, 260)}': vaults are at <vault>.${settings.domain}.`);
    }
    if (addressee.kind === 'vault' && context.token === undefined) {
      reply.header('www-authenticate', challengeHeader(settings, addressee.origin, scheme));
      throw new AzureError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.');
    }
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The Azure error a failure before or around a handler becomes (Fastify's own: bad JSON, too large, media type). */
export function edgeErrorOf(err: unknown): AzureError | undefined {
  if (err instanceof AzureError) return err;
  const e = err as { statusCode?: number; code?: string } | undefined;
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return AzureError.badParameter('The request body is not valid JSON.', 'MalformedRequest');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AzureError(413, 'RequestBodyTooLarge', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return AzureError.badParameter('The request content type is not supported: send application/json.');
    default:
      return typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500
        ? AzureError.badParameter('The request is not valid.')
        : undefined;
  }
}
