import { CofferConfig } from '@coffer/config';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { projectorLoggerOptions } from './projector.logger';
import { ProjectorService } from './projector.service';
import { PROJECTOR_CONFIG } from './projector.tokens';

@Module({})
export class ProjectorModule {
  static forRoot(config: CofferConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [LoggerModule.forRoot({ pinoHttp: projectorLoggerOptions(config.logLevel) })],
      providers: [{ provide: PROJECTOR_CONFIG, useValue: config }, ProjectorService],
      exports: [ProjectorService],
    };
  }
}
