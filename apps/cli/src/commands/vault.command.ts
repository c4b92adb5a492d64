import { Limits } from '@coffer/contracts/protocol';
import { take, VaultSettings } from '@coffer/client';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { intInRange, pageSizeFor } from '../options';
import { UsageError } from '../usage-error';
import { vaultView } from '../views';
import { MaxResultsOpt, maxResultsOption, NameOpt, vaultNameOption } from './common-options';

interface SettingsOpts {
  retentionDays?: number;
  purgeProtection?: boolean;
}

const retentionDaysOption = () =>
  new Option('--retention-days <days>', `days a deleted object stays recoverable (${Limits.retentionDaysMin}-${Limits.retentionDaysMax})`)
    .argParser(intInRange(Limits.retentionDaysMin, Limits.retentionDaysMax));
// Purge protection is one-way, so there is deliberately no flag to turn it off.
const purgeProtectionOption = () => new Option('--purge-protection', 'turn on purge protection (irreversible)');

function settingsOf(opts: SettingsOpts): VaultSettings {
  return { retentionDays: opts.retentionDays, purgeProtection: opts.purgeProtection };
}

/** `coffer vault create|list|show|update`. */
export function registerVaultCommands(program: Command, ctx: CliContext): void {
  const vault = program.command('vault').description('manage vaults');

  vault
    .command('create')
    .description('create a vault')
    .addOption(vaultNameOption())
    .addOption(retentionDaysOption())
    .addOption(purgeProtectionOption())
    .action(async (opts: NameOpt & SettingsOpts, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).vaults.create(opts.name, settingsOf(opts)), vaultView);
    });

  vault
    .command('list')
    .description('list vaults')
    .addOption(maxResultsOption())
    .action(async (opts: MaxResultsOpt, cmd: Command) => {
      const vaults = (await ctx.connect(cmd)).vaults.list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(vaults, opts.maxResults), vaultView);
    });

  vault
    .command('show')
    .description('show a vault')
    .addOption(vaultNameOption())
    .action(async (opts: NameOpt, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).vaults.show(opts.name), vaultView);
    });

  vault
    .command('update')
    .description("change a vault's settings")
    .addOption(vaultNameOption())
    .addOption(retentionDaysOption())
    .addOption(purgeProtectionOption())
    .action(async (opts: NameOpt & SettingsOpts, cmd: Command) => {
      if (opts.retentionDays === undefined && !opts.purgeProtection) {
        throw new UsageError('nothing to update: give --retention-days and/or --purge-protection');
      }
      ctx.print(cmd, await (await ctx.connect(cmd)).vaults.update(opts.name, settingsOf(opts)), vaultView);
    });
}
