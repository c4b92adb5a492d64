import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { ExitCodes } from '../exit-codes';
import { statusView } from '../views';

/** `coffer status`: exit 0 only when every component reports ok. */
export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('health of the vault service, crypto-worker, projector and audit service (exit 0 when all are ok)')
    .action(async (_opts: object, cmd: Command) => {
      const status = await (await ctx.connect(cmd)).status();
      ctx.print(cmd, status, statusView);
      if (!(status.vault.ok && status.cryptoWorker.ok && status.projector.ok && status.audit.ok)) ctx.exitCode = ExitCodes.Error;
    });
}
