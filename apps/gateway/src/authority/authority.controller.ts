import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CofferRequestError } from '@coffer/client';
import { AuthSubjects, ErrorCodes, JwksReply, TokenReply } from '@coffer/contracts';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Forwarder } from '../forwarder';
import { GATEWAY_SETTINGS } from '../gateway.tokens';
import { GatewaySettings } from '../gateway-settings';
import { AzureError } from '../http/azure-error';
import { resourceOf } from '../http/challenge';
import { contextOf } from '../http/request-context';

/** An OAuth2 error reply (RFC 6749 §5.2), as MSAL reads it. */
class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly description: string) {
    super(description);
  }
}

/**
 * A minimal OAuth2/OpenID authority at the bare domain, so @azure/identity's ClientSecretCredential
 * (authorityHost = this origin, disableInstanceDiscovery) obtains Coffer's own HSM-signed tokens with
 * a Coffer principal's client id and secret: the client-credentials grant becomes coffer.v1.auth.token.
 */
@Controller(':tenant')
export class AuthorityController {
  constructor(
    private readonly forwarder: Forwarder,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Get('v2.0/.well-known/openid-configuration')
  openIdConfiguration(@Req() req: FastifyRequest, @Param('tenant') tenant: string) {
    const base = `${this.authorityOrigin(req)}/${this.tenantOfOrNotFound(tenant)}`;
    return {
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['token'],
      grant_types_supported: ['client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: [`${resourceOf(this.settings)}/.default`],
      tenant_region_scope: null,
      cloud_instance_name: this.settings.domain,
    };
  }

  /**
   * The token-signing public key (the vault's anonymous coffer.v1.auth.jwks), so that a resource
   * server can verify Coffer's tokens itself. Cacheable: the key changes only when an operator
   * replaces it, and the vault throttles this subject as every anonymous one.
   */
  @Get('discovery/v2.0/keys')
  async jwks(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('tenant') tenant: string) {
    this.authorityOrigin(req);
    this.tenantOfOrNotFound(tenant);
    const keys = await this.forwarder.requester(undefined).request<JwksReply>(AuthSubjects.jwks, {}, { requestId: contextOf(req).requestId }, { anonymous: true });
    reply.header('cache-control', 'public, max-age=300');
    return keys;
  }

  @Post('oauth2/v2.0/token')
  @HttpCode(200)
  async token(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('tenant') tenant: string) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      this.authorityOrigin(req);
      this.tenantOf(tenant);
      const form = formOf(req);
      if (form.grant_type !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported.');
      const scopes = (form.scope ?? '').split(' ').filter((s) => s !== '');
      const wanted = `${resourceOf(this.settings)}/.default`;
      if (!scopes.includes(wanted)) throw new OAuthError(400, 'invalid_scope', `The scope must be ${wanted}.`);
      const { clientId, clientSecret } = clientCredentialsOf(req, form);
      const requester = this.forwarder.requester(undefined);
      const issued = await requester.request<TokenReply>(AuthSubjects.token, { clientId, clientSecret }, { requestId: contextOf(req).requestId }, { anonymous: true });
      return {
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        ext_expires_in: issued.expiresIn,
        access_token: issued.accessToken,
        scope: wanted,
      };
    } catch (err) {
      const e = oauthErrorOf(err);
      reply.status(e.status);
      if (e.status === 429 && err instanceof CofferRequestError && err.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      return { error: e.error, error_description: e.description };
    }
  }

  private tenantOf(tenant: string): string {
    if (tenant !== this.settings.tenant) throw new OAuthError(400, 'invalid_request', `Tenant '${tenant.slice(0, 64)}' not found: this authority serves '${this.settings.tenant}'.`);
    return tenant;
  }

  private tenantOfOrNotFound(tenant: string): string {
    if (tenant !== this.settings.tenant) throw new AzureError(404, 'NotFound', `Tenant '${tenant.slice(0, 64)}' not found: this authority serves '${this.settings.tenant}'.`);
    return tenant;
  }

  private authorityOrigin(req: FastifyRequest): string {
    const { addressee } = contextOf(req);
    if (addressee.kind !== 'authority') throw new AzureError(404, 'NotFound', `The authority is served at ${this.settings.domain}.`);
    return addressee.origin;
  }
}

function formOf(req: FastifyRequest): Record<string, string | undefined> {
  const type = String(req.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' || typeof req.body !== 'object' || req.body === null) {
    throw new OAuthError(400, 'invalid_request', 'The token request must be an application/x-www-form-urlencoded form.');
  }
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** client_secret_post (form fields) or client_secret_basic (Authorization: Basic). */
function clientCredentialsOf(req: FastifyRequest, form: Record<string, string | undefined>): { clientId: string; clientSecret: string } {
  const basic = /^Basic ([A-Za-z0-9+/=]{1,4096})$/.exec(String(req.headers.authorization ?? ''));
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  if (!form.client_id || !form.client_secret) throw new OAuthError(401, 'invalid_client', 'client_id and client_secret are required.');
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

function oauthErrorOf(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  if (err instanceof AzureError) return new OAuthError(err.status, 'invalid_request', err.message);
  if (err instanceof CofferRequestError) {
    switch (err.code) {
      case ErrorCodes.Unauthorized:
      case ErrorCodes.Forbidden:
      case ErrorCodes.NotFound: return new OAuthError(401, 'invalid_client', 'The client credentials are not valid.');
      case ErrorCodes.BadParameter: return new OAuthError(400, 'invalid_request', err.message);
      case ErrorCodes.Throttled: return new OAuthError(429, 'temporarily_unavailable', err.message);
      default: return new OAuthError(503, 'temporarily_unavailable', 'The authority cannot issue tokens right now.');
    }
  }
  return new OAuthError(500, 'server_error', 'The authority encountered an internal error.');
}
