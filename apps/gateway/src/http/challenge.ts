import { GatewaySettings } from '../gateway-settings';

/** The OAuth2 authority's origin: the bare domain on the port the client called. */
export function authorityOrigin(settings: GatewaySettings, calledOrigin: string, scheme: 'https' | 'http'): string {
  const port = /:(\d+)$/.exec(calledOrigin)?.[1];
  return `${scheme}://${settings.domain}${port ? `:${port}` : ''}`;
}

/** Azure's resource (audience) for every vault of the domain: the SDKs check the vault's host ends with `.<its host>`. */
export const resourceOf = (settings: GatewaySettings): string => `https://${settings.domain}`;

/**
 * The 401 challenge the Key Vault SDKs answer by fetching a token for `<resource>/.default` from the
 * tenant named by `authorization`'s path.
 */
export function challengeHeader(settings: GatewaySettings, calledOrigin: string, scheme: 'https' | 'http'): string {
  return `Bearer authorization="${authorityOrigin(settings, calledOrigin, scheme)}/${settings.tenant}", resource="${resourceOf(settings)}"`;
}
