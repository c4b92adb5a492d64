import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NatsConnection } from 'nats';
import { AuthorityController } from './authority/authority.controller';
import { Forwarder } from './forwarder';
import { GATEWAY_NATS, GATEWAY_SETTINGS } from './gateway.tokens';
import { GatewaySettings } from './gateway-settings';
import { AzureExceptionFilter } from './http/azure-exception.filter';
import { CertificateSettingsController } from './certificates/certificate-settings.controller';
import { CertificatesController } from './certificates/certificates.controller';
import { KeysController } from './keys/keys.controller';
import { SecretsController } from './secrets/secrets.controller';

@Module({})
export class GatewayModule {
  static forRoot(settings: GatewaySettings, nc: NatsConnection): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [SecretsController, KeysController, CertificateSettingsController, CertificatesController, AuthorityController],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: settings },
        { provide: GATEWAY_NATS, useValue: nc },
        { provide: APP_FILTER, useClass: AzureExceptionFilter },
        Forwarder,
      ],
    };
  }
}
