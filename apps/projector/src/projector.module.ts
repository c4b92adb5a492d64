import { CofferConfig } from '@coffer/config';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { projectorLoggerOptions } from './projector.logger';
import { ProjectorService } from './projector.service';
import { ProjectorOptions } from './projector-options';
import { PROJECTOR_CONFIG, PROJECTOR_OPTIONS } from './projector.tokens';

@Module({})
export class ProjectorModule {
  static forRoot(config: CofferConfig, options: ProjectorOptions = {}): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [LoggerModule.forRoot({ pinoHttp: projectorLoggerOptions(config.logLevel) })],
      providers: [{ provide: PROJECTOR_CONFIG, useValue: config }, { provide: PROJECTOR_OPTIONS, useValue: options }, ProjectorService],
      exports: [ProjectorService],
    };
  }
}
