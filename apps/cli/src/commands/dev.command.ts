import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { intInRange } from '../options';
import { View } from '../output';
import { UsageError } from '../usage-error';

const devTimeView: View = {
  columns: [
    { header: 'OffsetMs', path: 'offsetMs' },
    { header: 'Now', path: 'now' },
    { header: 'RealNow', path: 'realNow' },
  ],
};

/**
 * `coffer dev time-shift --days N | --reset | show`: moves the clock of the vault and the
 * scheduler forward to test rotation and expiry handling. Refused (Forbidden/DevModeDisabled)
 * unless the deployment runs with COFFER_DEV_MODE=1.
 */
export function registerDevCommands(program: Command, ctx: CliContext): void {
  const dev = program.command('dev').description('development helpers (need COFFER_DEV_MODE=1 on the deployment)');
  const shift = dev
    .command('time-shift')
    .description('move the vault\'s and the scheduler\'s clock forward by N days (cumulative), or back with --reset')
    .addOption(new Option('--days <n>', 'days to add to the current shift (1-3650)').argParser(intInRange(1, 3650)))
    .addOption(new Option('--reset', 'back to real time'))
    .action(async (opts: { days?: number; reset?: boolean }, cmd: Command) => {
      if ((opts.days === undefined) === !opts.reset) throw new UsageError('give --days N or --reset (or use `coffer dev time-shift show`)');
      const client = await ctx.connect(cmd);
      ctx.print(cmd, opts.reset ? await client.dev.timeReset() : await client.dev.timeShift(opts.days as number), devTimeView);
    });
  shift
    .command('show')
    .description('the current shift')
    .action(async (_opts: object, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).dev.timeShow(), devTimeView);
    });
}
