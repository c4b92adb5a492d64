import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CofferConfig, loadConfig } from '@coffer/config';
import { natsMicroserviceOptions, WireExceptionFilter, WireValidationPipe } from '@coffer/transport';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { CryptoWorkerModule } from './crypto-worker.module';

/**
 * Builds the crypto-worker (HSM opened, backup KEK ensured) without starting to listen, so tests
 * can run it in-process with their own config.
 */
export async function createCryptoWorker(config: CofferConfig): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(
    CryptoWorkerModule.forRoot(config),
    {
      ...natsMicroserviceOptions(config.natsUrl, 'coffer-crypto-worker', 'coffer-crypto-worker'),
      // Nest's own console logger stays off: start-up messages are buffered until pino takes over,
      // and a failed start is reported by main() as one JSON line.
      logger: false,
      bufferLogs: true,
      // Throw start-up errors (wrong PIN, missing token) instead of aborting the process.
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new WireExceptionFilter());
  app.useGlobalPipes(new WireValidationPipe());
  return app;
}

/**
 * The embedded mode keeps SoftHSM's config at <home>/hsm/softhsm2.conf (infra/scripts/init-token.sh).
 * SoftHSM reads SOFTHSM2_CONF when the module initialises, so point it there unless told otherwise.
 */
export function defaultSoftHsmConf(config: CofferConfig, env: NodeJS.ProcessEnv): string | undefined {
  if (env.SOFTHSM2_CONF) return undefined;
  const conf = join(config.home, 'hsm', 'softhsm2.conf');
  return existsSync(conf) ? conf : undefined;
}

async function main(): Promise<void> {
  let logLevel = process.env.COFFER_LOG_LEVEL || 'info';
  try {
    const config = loadConfig();
    logLevel = config.logLevel;
    const conf = defaultSoftHsmConf(config, process.env);
    if (conf) process.env.SOFTHSM2_CONF = conf;
    const app = await createCryptoWorker(config);
    app.enableShutdownHooks();
    await app.listen();
    app.get(Logger).log(`crypto-worker listening on ${config.natsUrl}`, 'CryptoWorker');
  } catch (err) {
    // Nest's logger may not exist yet: report with a plain pino line (name, code, message; no secrets).
    const e = err as Error & { code?: string };
    pino({ level: logLevel, base: { app: 'crypto-worker' } }).fatal(
      { error: { name: e?.name, code: e?.code, message: e?.message } },
      'crypto-worker failed to start',
    );
    process.exit(1);
  }
}

if (require.main === module) void main();
