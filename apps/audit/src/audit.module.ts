import { CofferConfig } from '@coffer/config';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditChainService } from './audit-chain.service';
import { AuditObservation } from './audit-observation';
import { AuditOptions } from './audit.config';
import { AUDIT_CONFIG, AUDIT_OPTIONS, AUDIT_SIGNER } from './audit.tokens';
import { AuditSigner } from './audit-signer';
import { AuditInternalHandlers } from './handlers/audit-internal.handlers';

export interface AuditAppOverrides {
  options?: Partial<AuditOptions>;
  /** Tests: sign without a crypto-worker. */
  signer?: AuditSigner;
}

/** The audit app: the chain consumer and the internal audit subjects. */
@Module({})
export class AuditModule {
  static forRoot(config: CofferConfig, overrides: AuditAppOverrides = {}): DynamicModule {
    const options: AuditOptions = { ...config.audit, ...overrides.options };
    const providers: Provider[] = [
      { provide: AUDIT_CONFIG, useValue: config },
      { provide: AUDIT_OPTIONS, useValue: options },
      AuditChainService,
      AuditObservation,
    ];
    if (overrides.signer) providers.push({ provide: AUDIT_SIGNER, useValue: overrides.signer });
    return {
      module: AuditModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, base: { app: 'audit' } } })],
      controllers: [AuditInternalHandlers],
      providers,
    };
  }
}
