import { Inject, Injectable } from '@nestjs/common';
import { CallOptions, Requester, SecretsClient } from '@coffer/client';
import { NatsConnection } from 'nats';
import { GATEWAY_NATS, GATEWAY_SETTINGS } from './gateway.tokens';
import { GatewaySettings } from './gateway-settings';
import { AzureError } from './http/azure-error';
import { contextOf } from './http/request-context';

/** A vault request as the caller: the caller's token, the request's id, the vault its Host names. */
export interface VaultCall {
  vault: string;
  origin: string;
  options: CallOptions;
}

/**
 * Sends coffer.v1 requests AS THE CALLER: each carries the caller's own bearer token, so the vault
 * authenticates, authorizes and audits the caller exactly as on the NATS path. The gateway holds no
 * credentials of its own and never retries (the SDKs retry, with the same x-ms-client-request-id).
 */
@Injectable()
export class Forwarder {
  constructor(
    @Inject(GATEWAY_NATS) private readonly nc: NatsConnection,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  /** The requester for one request; anonymous (no Authorization) when the caller sent no token. */
  requester(token: string | undefined): Requester {
    const authenticator = token === undefined ? undefined : { token: async () => token, renew: async () => undefined };
    return new Requester(this.nc, { timeoutMs: this.settings.requestTimeoutMs, retries: 0 }, authenticator);
  }

  vaultCall(request: object): VaultCall & { requester: Requester } {
    const context = contextOf(request);
    if (context.addressee.kind !== 'vault') throw new AzureError(404, 'NotFound', 'Vault operations are served at <vault>.' + this.settings.domain + '.');
    return {
      vault: context.addressee.vault,
      origin: context.addressee.origin,
      options: { requestId: context.requestId },
      requester: this.requester(context.token),
    };
  }

  secrets(request: object): { client: SecretsClient; call: VaultCall } {
    const { requester, ...call } = this.vaultCall(request);
    return { client: new SecretsClient(requester, call.vault), call };
  }
}
