import { CofferClient } from '@coffer/client';
import type { TokenCredential } from '@azure/core-auth';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { LookupAddress } from 'node:dns';
import { GatewaySettings, gatewayTlsFiles, loadGatewaySettings } from '../../apps/gateway/src/gateway-settings';
import { RunningGateway, startGateway } from '../../apps/gateway/src/main';
import { ensureGatewayTls } from '../../apps/gateway/src/tls/gateway-tls';
import { adminCredentials } from '../auth-helpers';
import { InProcessStack, startInProcessStack } from '../in-process-stack';

export const DOMAIN = 'vault.localhost';
export const TENANT = 'coffer';

export interface GatewayStack {
  stack: InProcessStack;
  admin: CofferClient;
  gateway: RunningGateway;
  settings: GatewaySettings;
  /** The CA the gateway's certificate chains to (PEM), as `npm start` writes it. */
  ca: string;
  port: number;
  /** `https://<vault>.vault.localhost:<port>` */
  vaultUrl(vault: string): string;
  /** The authority host for ClientSecretCredential. */
  authorityHost: string;
  /** Resolves every name to 127.0.0.1 (glibc does not resolve *.localhost) and trusts the gateway's CA. */
  agent: Agent;
  /** The SDK option that makes a client use `agent` (unmodified SDKs: one extra pipeline policy). */
  sdkOptions: { additionalPolicies: Array<{ policy: { name: string; sendRequest: (req: any, next: (req: any) => Promise<any>) => Promise<any> }; position: 'perCall' }> };
  stop(): Promise<void>;
}

/** A whole Coffer (real nats-server, SoftHSM, SQLite), its TLS certificate issued by Coffer's own CA, and the gateway in front. */
export async function startGatewayStack(): Promise<GatewayStack> {
  const stack = await startInProcessStack();
  const admin = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 60_000, credentials: adminCredentials(stack.home) });
  const files = gatewayTlsFiles(stack.home);
  await ensureGatewayTls(admin, files, DOMAIN);
  const settings: GatewaySettings = {
    ...loadGatewaySettings({ COFFER_HOME: stack.home, COFFER_NATS_URL: stack.nats.url }),
    port: 0, domain: DOMAIN, tenant: TENANT, natsUrl: stack.nats.url, tls: files, bodyLimit: 64 * 1024,
  };
  const gateway = await startGateway(settings, { logLevels: ['error'] });
  const ca = readFileSync(files.caFile, 'utf8');
  const agent = loopbackAgent(ca);
  return {
    stack, admin, gateway, settings, ca, agent,
    port: gateway.port,
    vaultUrl: (vault) => `https://${vault}.${DOMAIN}:${gateway.port}`,
    authorityHost: `https://${DOMAIN}:${gateway.port}`,
    sdkOptions: { additionalPolicies: [agentPolicy(agent)] },
    async stop() {
      agent.destroy();
      await gateway.close();
      await admin.close();
      await stack.stop();
    },
  };
}

/** An https.Agent that sends every host name to 127.0.0.1 and trusts `ca`: what a hosts-file entry and the CA file do for users. */
export function loopbackAgent(ca: string): Agent {
  const lookup = (_host: string, options: { all?: boolean } | number, callback: (...args: any[]) => void) => {
    if (typeof options === 'object' && options.all) callback(null, [{ address: '127.0.0.1', family: 4 } satisfies LookupAddress]);
    else callback(null, '127.0.0.1', 4);
  };
  return new Agent({ ca, keepAlive: true, lookup: lookup as never });
}

/** A pipeline policy that gives each request the agent (core-rest-pipeline honours request.agent). */
export function agentPolicy(agent: Agent) {
  return {
    policy: { name: 'cofferLoopbackAgent', sendRequest: (req: any, next: (req: any) => Promise<any>) => ((req.agent = agent), next(req)) },
    position: 'perCall' as const,
  };
}

/** A credential holding one ready token (what an app with a token from elsewhere passes). */
export function staticTokenCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 10 * 60_000 }) };
}

/** The RestError an SDK call fails with (statusCode, code); the test fails if it succeeds. */
export async function restErrorOf(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected the request to fail');
}
