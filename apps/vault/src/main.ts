import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CofferConfig, loadConfig } from '@coffer/config';
import { natsMicroserviceOptions, WireExceptionFilter, WireValidationPipe } from '@coffer/transport';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { Clock } from './infrastructure/clock';
import { VaultModule } from './vault.module';

/** Builds the vault service without listening, so tests can run it in-process with their config. */
export async function createVault(config: CofferConfig, clock?: Clock): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(VaultModule.forRoot(config, clock), {
    ...natsMicroserviceOptions(config.natsUrl, 'coffer-vault', 'coffer-vault'),
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new WireExceptionFilter());
  app.useGlobalPipes(new WireValidationPipe());
  return app;
}

async function main(): Promise<void> {
  let logLevel = process.env.COFFER_LOG_LEVEL || 'info';
  try {
    const config = loadConfig();
    logLevel = config.logLevel;
    const app = await createVault(config);
    app.enableShutdownHooks();
    await app.listen();
    app.get(Logger).log(`vault listening on ${config.natsUrl}`, 'Vault');
  } catch (err) {
    const e = err as Error & { code?: string };
    pino({ level: logLevel, base: { app: 'vault' } }).fatal({ err: { name: e?.name, code: e?.code, message: e?.message } }, 'vault failed to start');
    process.exit(1);
  }
}

if (require.main === module) void main();
