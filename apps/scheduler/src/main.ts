import 'reflect-metadata';
import { loadConfig, usePrivateUmask } from '@coffer/config';
import { startScheduler } from './start-scheduler';

/** The lifecycle scheduler: `node dist/apps/scheduler/src/main.js` (npm start runs it after the vault). */
async function main(): Promise<void> {
  const scheduler = await startScheduler(loadConfig());
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    scheduler.stop().then(() => process.exit(0), () => process.exit(1));
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
