import { loadConfig } from '@coffer/config';
import { join, resolve } from 'node:path';

/** How the gateway serves Azure Key Vault's REST API; every setting has a default for the embedded mode. */
export interface GatewaySettings {
  /** Vaults are served at `<vault>.<domain>`, the OAuth2 authority at `<domain>` itself. */
  domain: string;
  host: string;
  port: number;
  /** The tenant in the authority URL (`https://<domain>:<port>/<tenant>`) credentials are built with. */
  tenant: string;
  /** The Coffer client URL (coffer-client: the gateway is a client that forwards its callers' tokens). */
  natsUrl: string;
  /** PEM files of the gateway's TLS key and certificate chain; undefined: plain HTTP (tests of the edge only). */
  tls?: { keyFile: string; certFile: string; caFile: string };
  /** Largest request body read, in bytes (Azure's secret limit is 25 KiB; JSON escaping can double it). */
  bodyLimit: number;
  /** Timeout of each forwarded coffer.v1 request. */
  requestTimeoutMs: number;
  home: string;
}

export const DEFAULT_GATEWAY_DOMAIN = 'vault.localhost';
export const DEFAULT_GATEWAY_PORT = 8443;
export const DEFAULT_TENANT = 'coffer';
const HOSTNAME = /^(?=.{1,200}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;

export class GatewaySettingsError extends Error {}

/** The gateway's files under COFFER_HOME: its TLS key and chain and the CA that issued them. */
export const gatewayTlsFiles = (home: string) => ({
  keyFile: join(home, 'gateway', 'tls.key'),
  certFile: join(home, 'gateway', 'tls.crt'),
  caFile: join(home, 'gateway-ca.pem'),
});

export function loadGatewaySettings(env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  const config = loadConfig(env);
  const domain = (env.COFFER_GATEWAY_DOMAIN ?? DEFAULT_GATEWAY_DOMAIN).toLowerCase();
  if (!HOSTNAME.test(domain)) throw new GatewaySettingsError(`COFFER_GATEWAY_DOMAIN: '${domain}' is not a host name`);
  const tenant = env.COFFER_GATEWAY_TENANT ?? DEFAULT_TENANT;
  if (!TENANT.test(tenant)) throw new GatewaySettingsError(`COFFER_GATEWAY_TENANT: '${tenant}' must match ${TENANT.source}`);
  const int = (key: string, fallback: number, min: number, max: number) => {
    const raw = env[key];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new GatewaySettingsError(`${key} must be an integer in ${min}..${max} (got '${raw}')`);
    return n;
  };
  const plain = env.COFFER_GATEWAY_TLS === 'off';
  const files = gatewayTlsFiles(config.home);
  return {
    domain, tenant,
    host: env.COFFER_GATEWAY_HOST ?? '127.0.0.1',
    port: int('COFFER_GATEWAY_PORT', DEFAULT_GATEWAY_PORT, 0, 65535),
    natsUrl: env.COFFER_GATEWAY_NATS_URL ?? config.natsUrl,
    tls: plain ? undefined : {
      keyFile: resolve(env.COFFER_GATEWAY_TLS_KEY ?? files.keyFile),
      certFile: resolve(env.COFFER_GATEWAY_TLS_CERT ?? files.certFile),
      caFile: resolve(env.COFFER_GATEWAY_TLS_CA ?? files.caFile),
    },
    bodyLimit: int('COFFER_GATEWAY_BODY_LIMIT', 256 * 1024, 1024, 16 * 1024 * 1024),
    requestTimeoutMs: int('COFFER_GATEWAY_TIMEOUT_MS', 30_000, 100, 300_000),
    home: config.home,
  };
}
