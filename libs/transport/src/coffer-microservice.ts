import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CofferConfig, loadConfig, OpsApp, redactNatsUrl } from '@coffer/config';
import { readinessOf, requestMetrics, serveOps } from '@coffer/observability';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { CofferNatsServer } from './coffer-nats.server';
import { jsonLimitsOf, natsMicroserviceOptions } from './nats-server-options';
import { REQUEST_GATE, RequestGate } from './request-gate';
import { WireExceptionFilter } from './wire-exception.filter';
import { WireValidationPipe } from './wire-validation.pipe';

/**
 * A Coffer NATS service, built but not listening (tests run it in-process): plain-JSON transport,
 * pino logs, wire errors and validation, and the module's REQUEST_GATE (if it provides one) in front
 * of every handler. `name` is the connection name and the queue group, so replicas share the load.
 * Bodies over config.request's limits are refused before parsing (`extraRequestBytes` widens the
 * size limit of internal services whose requests wrap a client's). Its requests are counted and
 * timed (unless COFFER_METRICS=0), and its serving connection is one of its readiness probes.
 */
export async function createCofferMicroservice(
  module: DynamicModule, config: CofferConfig, name: string, opts: { extraRequestBytes?: number } = {},
): Promise<INestMicroservice> {
  // The serving connection uses the responder identity when there is one: it may publish to callers' inboxes only.
  const options = natsMicroserviceOptions(
    { natsUrl: config.natsUrl, nats: config.natsResponder ?? config.nats }, name, name, jsonLimitsOf(config.request, opts.extraRequestBytes),
  );
  const app = await NestFactory.createMicroservice(module, {
    ...options,
    bufferLogs: true,
    // Throw start-up errors (wrong PIN, missing database) instead of aborting the process.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new WireExceptionFilter());
  app.useGlobalPipes(new WireValidationPipe());
  const { strategy } = options as { strategy: CofferNatsServer };
  if (providesGate(module)) strategy.useGate(app.get<typeof REQUEST_GATE, RequestGate>(REQUEST_GATE));
  const opsApp = name.replace(/^coffer-/, '') as OpsApp;
  if (config.ops.metrics) strategy.observe(requestMetrics(opsApp));
  strategy.onClose(readinessOf(opsApp).add('nats', () => strategy.ping()));
  return app;
}

const providesGate = (module: DynamicModule): boolean =>
  (module.providers ?? []).some((p) => typeof p === 'object' && 'provide' in p && p.provide === REQUEST_GATE);

/**
 * The entry point of a service process: load the configuration, build, listen, shut down on
 * signals. A start-up failure is one fatal JSON line (name, code and message only) and exit 1.
 */
export async function runCofferMicroservice(app: string, create: (config: CofferConfig) => Promise<INestMicroservice>): Promise<void> {
  let logLevel = process.env.COFFER_LOG_LEVEL || 'info';
  try {
    const config = loadConfig();
    logLevel = config.logLevel;
    const service = await create(config);
    service.enableShutdownHooks();
    await service.listen();
    const logger = service.get(Logger);
    logger.log(`${app} listening on ${redactNatsUrl(config.natsUrl)}`, app);
    await serveOps(app as OpsApp, config.ops, { info: (m) => logger.log(m, app), warn: (m) => logger.warn(m, app) });
  } catch (err) {
    const e = err as Error & { code?: string };
    pino({ level: logLevel, base: { app } }).fatal({ error: { name: e?.name, code: e?.code, message: e?.message } }, `${app} failed to start`);
    process.exit(1);
  }
}
