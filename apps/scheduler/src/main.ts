import 'reflect-metadata';
import { loadConfig, usePrivateUmask } from '@coffer/config';
import { serveOps } from '@coffer/observability';
import { createSchedulerLogger } from './scheduler.logger';
import { startScheduler } from './start-scheduler';

/** The lifecycle scheduler: `node dist/apps/scheduler/src/main.js` (npm start runs it after the vault). */
async function main(): Promise<void> {
  const config = loadConfig();
  const scheduler = await startScheduler(config);
  const log = createSchedulerLogger(config.logLevel);
  const ops = await serveOps('scheduler', config.ops, { info: (m) => log.info(m), warn: (m) => log.warn(m) });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    scheduler.stop().then(() => ops?.close()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  usePrivateUmask();
  main().catch((err: unknown) => {
    process.stderr.write(`coffer-scheduler: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
