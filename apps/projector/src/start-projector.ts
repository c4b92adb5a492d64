import { CofferConfig } from '@coffer/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ProjectorOptions } from './projector-options';
import { ProjectorStatus } from './projector-status';
import { ProjectorModule } from './projector.module';
import { ProjectorService } from './projector.service';

export interface RunningProjector {
  status(): Promise<ProjectorStatus>;
  stop(): Promise<void>;
}

/** Runs the projector as a Nest application context (no HTTP); resolves once it is consuming. */
export async function startProjector(config: CofferConfig, options: ProjectorOptions = {}): Promise<RunningProjector> {
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config, options), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const service = app.get(ProjectorService);
  return {
    status: () => service.status(),
    stop: () => app.close(),
  };
}
