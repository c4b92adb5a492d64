import { CofferRequestError } from '@coffer/client';
import { InnerErrorCodes } from '@coffer/contracts/protocol';
import { Command } from 'commander';
import { CliContext } from '../cli-context';
import { ExitCodes } from '../exit-codes';
import { statusView } from '../views';

/** `coffer status`: exit 0 only when every component reports ok. */
export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('health of the vault service, crypto-worker, projector, audit service and scheduler (exit 0 when all are ok)')
    .action(async (_opts: object, cmd: Command) => {
      const client = await ctx.connect(cmd);
      const status = await client.status().catch((err: unknown) => {
        // A full audit trail refuses every request, this one included (it cannot be audited): say so plainly.
        if (err instanceof CofferRequestError && err.innerCode === InnerErrorCodes.AuditStoreFull) {
          ctx.io.stderr.write('ALERT audit: FULL, every request is refused (ServiceUnavailable/AuditStoreFull); raise the COFFER_AUDIT_*_MAX_* limits and provision again (npm start, as coffer-admin)\n');
        }
        throw err;
      });
      ctx.print(cmd, status, statusView);
      if (status.audit.storage && status.audit.storage.alert !== 'ok') ctx.io.stderr.write(`ALERT audit: ${status.audit.storage.alert}\n`);
      const schedulerOk = status.scheduler?.ok ?? true;
      if (!(status.vault.ok && status.cryptoWorker.ok && status.projector.ok && status.audit.ok && schedulerOk)) ctx.exitCode = ExitCodes.Error;
    });
}
