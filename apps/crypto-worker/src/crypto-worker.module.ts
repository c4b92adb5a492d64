import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CofferConfig } from '@coffer/config';
import { LoggerModule } from 'nestjs-pino';
import { CryptoStatusHandler } from './crypto-status.handler';
import { CRYPTO_WORKER_CONFIG } from './crypto-worker.tokens';
import { EnsureKekHandler } from './ensure-kek.handler';
import { GenerateDataKeyHandler } from './generate-data-key.handler';
import { HsmErrorsInterceptor } from './hsm-errors.interceptor';
import { EventLoopDelayMonitor } from './event-loop-delay';
import { hsmKeysProvider, hsmProvider, HsmShutdown } from './hsm.provider';
import { HsmObservation } from './hsm-metrics';
import { KEY_HANDLERS } from './keys/key-handlers';
import { KeyedHashHandler } from './keyed-hash.handler';
import { SignDigestHandler } from './sign-digest.handler';
import { SigningKeyEnsureHandler } from './signing-key-ensure.handler';
import { UnwrapDataKeyHandler } from './unwrap-data-key.handler';

/** The crypto-worker: the only process that loads the PKCS#11 module. */
@Module({})
export class CryptoWorkerModule {
  static forRoot(config: CofferConfig): DynamicModule {
    return {
      module: CryptoWorkerModule,
      imports: [
        // JSON lines on stdout. There is no HTTP here, so pino-http never sees a request body.
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, base: { app: 'crypto-worker' } } }),
      ],
      controllers: [
        EnsureKekHandler, GenerateDataKeyHandler, UnwrapDataKeyHandler, SigningKeyEnsureHandler, SignDigestHandler, KeyedHashHandler, CryptoStatusHandler,
        ...KEY_HANDLERS,
      ],
      providers: [
        { provide: CRYPTO_WORKER_CONFIG, useValue: config },
        hsmProvider,
        hsmKeysProvider,
        HsmShutdown,
        HsmObservation,
        EventLoopDelayMonitor,
        { provide: APP_INTERCEPTOR, useClass: HsmErrorsInterceptor },
      ],
    };
  }
}
