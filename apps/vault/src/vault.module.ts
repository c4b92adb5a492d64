import { DynamicModule, Module } from '@nestjs/common';
import { CofferConfig } from '@coffer/config';
import { LoggerModule } from 'nestjs-pino';
import { AUDIT_FEATURE } from './audit';
import { AUTH_FEATURE } from './auth';
import { CERTIFICATE_FEATURE } from './certificates';
import { CHANGE_CONTROLLERS, CHANGE_PROVIDERS } from './changes';
import { DEV_FEATURE } from './dev';
import { devTimeProviders } from './dev/dev-time.provider';
import { Clock } from './infrastructure/clock';
import { INFRASTRUCTURE_FEATURE } from './infrastructure';
import { COFFER_CONFIG } from './infrastructure/tokens';
import { KEY_FEATURE } from './keys';
import { LIFECYCLE_FEATURE } from './lifecycle';
import { OBJECT_KIT_FEATURE } from './objects';
import { PRINCIPAL_FEATURE } from './principals';
import { ROLE_FEATURE } from './roles';
import { SECRET_FEATURE } from './secrets';
import { STATUS_FEATURE } from './status';
import { VaultFeature } from './vault-feature';
import { VAULT_FEATURE } from './vaults';

/** Every feature of the vault API (each folder's index.ts says what it registers). */
export const VAULT_FEATURES: VaultFeature[] = [
  INFRASTRUCTURE_FEATURE, OBJECT_KIT_FEATURE, STATUS_FEATURE, VAULT_FEATURE,
  SECRET_FEATURE, KEY_FEATURE, CERTIFICATE_FEATURE,
  AUTH_FEATURE, PRINCIPAL_FEATURE, ROLE_FEATURE, AUDIT_FEATURE,
  { controllers: CHANGE_CONTROLLERS, providers: CHANGE_PROVIDERS },
  LIFECYCLE_FEATURE, DEV_FEATURE,
];

/** The vault API: command and query handlers over NATS request-reply; every request passes AccessControlGate (AUTH_FEATURE). */
@Module({})
export class VaultModule {
  static forRoot(config: CofferConfig, clock?: Clock): DynamicModule {
    return {
      module: VaultModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, base: { app: 'vault' } } })],
      controllers: VAULT_FEATURES.flatMap((feature) => feature.controllers),
      providers: [
        { provide: COFFER_CONFIG, useValue: config },
        // The clock: real time, or shifted by `coffer dev time-shift` in dev mode.
        ...devTimeProviders(clock),
        ...VAULT_FEATURES.flatMap((feature) => feature.providers),
      ],
    };
  }
}
