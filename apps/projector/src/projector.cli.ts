import { CofferConfig, loadConfig } from '@coffer/config';
import { serveOps } from '@coffer/observability';
import { Command, InvalidArgumentError } from 'commander';
import { createProjectorLogger, errorSummary } from './projector.logger';
import { rebuildReadModel } from './rebuild.command';
import { startProjector } from './start-projector';

function sequenceArg(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

async function run(config: CofferConfig, log: ReturnType<typeof createProjectorLogger>): Promise<void> {
  const projector = await startProjector(config);
  const ops = await serveOps('projector', config.ops, { info: (m) => log.info(m), warn: (m) => log.warn(m) });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await projector.stop();
  await ops?.close();
}

/** `coffer-projector` (run) | `coffer-projector rebuild [--db URL] [--from N]`. Resolves to the exit code. */
export async function projectorCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env);
  const log = createProjectorLogger(config.logLevel);
  let code = 0;
  const program = new Command('coffer-projector')
    .description('Folds COFFER_EVENTS into the read model')
    .exitOverride()
    .showHelpAfterError();
  program
    .command('run', { isDefault: true })
    .description('run the live projector (durable consumer) until SIGINT/SIGTERM')
    .action(() => run(config, log));
  program
    .command('rebuild')
    .description('replay the event stream into a database (stop the live projector first when rebuilding in place)')
    .option('--db <url>', 'target database URL (default: the configured COFFER_DB_URL)')
    .option('--from <seq>', '0 = empty the tables and replay everything; N = resume at max(N, checkpoint + 1)', sequenceArg, 0)
    .action(async (o: { db?: string; from: number }) => {
      const r = await rebuildReadModel({ natsUrl: config.natsUrl, nats: config.nats, dbUrl: o.db ?? config.dbUrl, from: o.from, logger: log, requestIdHorizonMs: config.requestIdHorizonMs });
      process.stdout.write(`rebuilt ${r.events} events up to sequence ${r.lastSequence} in ${r.ms} ms\n`);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const commanderCode = (err as { exitCode?: number }).exitCode;
    if (commanderCode !== undefined) return commanderCode;
    log.error(errorSummary(err), 'projector command failed');
    code = 1;
  }
  return code;
}
