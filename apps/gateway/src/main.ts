import 'reflect-metadata';
import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, natsClientOptions, redactNatsUrl } from '@coffer/config';
import { natsProbe, readinessOf, serveOps } from '@coffer/observability';
import { CofferClient, parseCredentials } from '@coffer/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { GatewayModule } from './gateway.module';
import { GatewaySettings, gatewayTlsFiles, loadGatewaySettings } from './gateway-settings';
import { ensureGatewayTls, gatewayTlsCurrent, GATEWAY_CA_ISSUER, GATEWAY_TLS_VAULT } from './tls/gateway-tls';
import { installEdge } from './http/edge';
import { installGatewayMetrics } from './http/gateway-metrics';

export interface RunningGateway {
  app: NestFastifyApplication;
  /** The port it listens on (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Creates and starts the gateway: Fastify over HTTPS (measured ~3× Express's throughput here under
 * the same handler), one NATS connection as a Coffer client, and nothing else: no state, no
 * credentials of its own. `nc` is the caller's to close when given.
 */
export async function startGateway(
  settings: GatewaySettings, options: { nc?: NatsConnection; logLevels?: LogLevel[]; metrics?: boolean } = {},
): Promise<RunningGateway> {
  const nc = options.nc ?? await connect({ ...natsClientOptions(settings.natsUrl), name: 'coffer-gateway' });
  const unready = readinessOf('gateway').add('nats', natsProbe(nc));
  const https = settings.tls ? { key: readFileSync(settings.tls.keyFile), cert: readFileSync(settings.tls.certFile) } : undefined;
  const adapter = new FastifyAdapter({
    ...(https && { https }),
    bodyLimit: settings.bodyLimit,
    // A versionless kid makes the SDKs call `/keys/<name>//sign`: duplicate slashes collapse.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 512, caseSensitive: false },
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  installEdge(fastify, settings);
  if (options.metrics ?? true) installGatewayMetrics(fastify);
  // Failures before a route runs (bad JSON, too large, the edge's refusals) reach Nest's error handler and so AzureExceptionFilter.
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(settings, nc), adapter, {
    logger: options.logLevels ?? ['error', 'warn', 'log'],
  });
  await app.listen(settings.port, settings.host);
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    app, port,
    async close() {
      unready();
      await app.close();
      if (!options.nc && !nc.isClosed()) await nc.drain();
    },
  };
}

/**
 * With the default TLS files: (re)issues the gateway's certificate from Coffer's own CA when the files
 * are missing, not for this domain or near expiry, as the administrator (COFFER_GATEWAY_ADMIN_CREDENTIALS,
 * else $COFFER_HOME/admin.credentials). Files an operator configured are used as they are.
 */
async function provisionTls(settings: GatewaySettings): Promise<void> {
  const defaults = gatewayTlsFiles(settings.home);
  const tls = settings.tls;
  if (!tls || tls.keyFile !== defaults.keyFile || tls.certFile !== defaults.certFile || gatewayTlsCurrent(tls, settings.domain)) return;
  const file = process.env.COFFER_GATEWAY_ADMIN_CREDENTIALS ?? join(settings.home, 'admin.credentials');
  const credentials = parseCredentials(JSON.parse(readFileSync(file, 'utf8')), file);
  const client = await CofferClient.connect({ url: settings.natsUrl, credentials, timeoutMs: 60_000 });
  try {
    await ensureGatewayTls(client, tls, settings.domain);
    new Logger('Gateway').log(`issued the gateway's TLS certificate from Coffer's CA (${GATEWAY_TLS_VAULT}/${GATEWAY_CA_ISSUER}); CA: ${tls.caFile}`);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const settings = loadGatewaySettings();
  const { ops } = loadConfig();
  await provisionTls(settings);
  const gateway = await startGateway(settings, { metrics: ops.metrics });
  const logger = new Logger('Gateway');
  await serveOps('gateway', ops, { info: (m) => logger.log(m), warn: (m) => logger.warn(m) });
  const scheme = settings.tls ? 'https' : 'http';
  new Logger('Gateway').log(
    `serving vaults at ${scheme}://<vault>.${settings.domain}:${gateway.port}, authority ${scheme}://${settings.domain}:${gateway.port}/${settings.tenant}, NATS ${redactNatsUrl(settings.natsUrl)}`,
  );
  const stop = () => void gateway.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`gateway: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
