import { SecretAttributesInput, take } from '@coffer/client';
import { formatScope } from '@coffer/contracts/protocol';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { readTextInput, writeTextOutput } from '../files';
import { enabledFlag, pageSizeFor } from '../options';
import { UsageError } from '../usage-error';
import { deletedSecretView, objectUsageView, purgeView, secretBundleView, secretItemView } from '../views';
import {
  AttributeOpts, contentTypeOption, disabledOption, enabledOption, expiresOption, ifMatchOption, MaxResultsOpt,
  maxResultsOption, NameOpt, nameOption, notBeforeOption, tagsOption, VaultOpt, vaultOption, versionOption,
} from './common-options';

type SecretOpts = VaultOpt & NameOpt;

function attributesOf(opts: AttributeOpts): SecretAttributesInput {
  return { enabled: enabledFlag(opts), notBefore: opts.notBefore, expiresOn: opts.expires };
}

/** A `coffer secret <op>` command with --vault and -n/--name. */
function namedSecretCommand(secret: Command, name: string, description: string): Command {
  return secret.command(name).description(description).addOption(vaultOption()).addOption(nameOption());
}

/** `coffer secret …`, modelled on `az keyvault secret`. */
export function registerSecretCommands(program: Command, ctx: CliContext): void {
  const secret = program.command('secret').description('manage secrets in a vault');

  namedSecretCommand(secret, 'set', 'set a secret (a new version)')
    .addOption(new Option('--value <value>', 'the value').conflicts('file'))
    .addOption(new Option('--file <path>', 'read the value from a file (- = stdin), exactly as is'))
    .addOption(contentTypeOption())
    .addOption(tagsOption())
    .addOption(expiresOption())
    .addOption(notBeforeOption())
    .addOption(enabledOption())
    .addOption(disabledOption())
    .addOption(ifMatchOption())
    .action(async (opts: SecretOpts & AttributeOpts & { value?: string; file?: string }, cmd: Command) => {
      if (opts.value === undefined && opts.file === undefined) throw new UsageError('give the value with --value or --file');
      const value = opts.value ?? (await readTextInput(opts.file!, ctx.io.stdin));
      const secrets = await ctx.secrets(cmd, opts.vault);
      const bundle = await secrets.set(opts.name, value, {
        ...attributesOf(opts), contentType: opts.contentType, tags: opts.tags, ifMatch: opts.ifMatch,
      });
      ctx.print(cmd, bundle, secretBundleView);
    });

  namedSecretCommand(secret, 'show', 'show a secret with its value (or, with --usage, who read it)')
    .addOption(versionOption().conflicts('usage'))
    .addOption(new Option('--usage', 'instead of the value: who last read each version, and when (from the audit trail)'))
    .action(async (opts: SecretOpts & { version?: string; usage?: boolean }, cmd: Command) => {
      if (opts.usage) {
        const objectId = formatScope({ level: 'object', vault: opts.vault, kind: 'secrets', name: opts.name });
        ctx.print(cmd, await (await ctx.connect(cmd)).audit.usage(objectId), objectUsageView);
        return;
      }
      ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).get(opts.name, opts.version), secretBundleView);
    });

  secret
    .command('list')
    .description('list secrets (without values)')
    .addOption(vaultOption())
    .addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await ctx.secrets(cmd, opts.vault)).list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), secretItemView);
    });

  namedSecretCommand(secret, 'list-versions', 'list the versions of a secret')
    .addOption(maxResultsOption())
    .action(async (opts: SecretOpts & MaxResultsOpt, cmd: Command) => {
      const items = (await ctx.secrets(cmd, opts.vault)).listVersions(opts.name, { pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), secretItemView);
    });

  namedSecretCommand(secret, 'set-attributes', 'change attributes, content type or tags of a version')
    .addOption(versionOption())
    .addOption(enabledOption())
    .addOption(disabledOption())
    .addOption(expiresOption())
    .addOption(notBeforeOption())
    .addOption(contentTypeOption())
    .addOption(tagsOption())
    .addOption(ifMatchOption())
    .action(async (opts: SecretOpts & AttributeOpts & { version?: string }, cmd: Command) => {
      const patch = { ...attributesOf(opts), contentType: opts.contentType, tags: opts.tags };
      if (Object.values(patch).every((v) => v === undefined)) {
        throw new UsageError('nothing to change: give --enabled/--disabled, --expires, --not-before, --content-type or --tags');
      }
      const secrets = await ctx.secrets(cmd, opts.vault);
      ctx.print(cmd, await secrets.updateProperties(opts.name, opts.version, { ...patch, ifMatch: opts.ifMatch }), secretBundleView);
    });

  namedSecretCommand(secret, 'delete', 'delete a secret (recoverable until purged)').action(async (opts: SecretOpts, cmd: Command) => {
    ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).delete(opts.name), deletedSecretView);
  });

  secret
    .command('list-deleted')
    .description('list deleted secrets')
    .addOption(vaultOption())
    .addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await ctx.secrets(cmd, opts.vault)).listDeleted({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), deletedSecretView);
    });

  namedSecretCommand(secret, 'show-deleted', 'show a deleted secret').action(async (opts: SecretOpts, cmd: Command) => {
    ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).getDeleted(opts.name), deletedSecretView);
  });

  namedSecretCommand(secret, 'recover', 'recover a deleted secret').action(async (opts: SecretOpts, cmd: Command) => {
    ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).recover(opts.name), secretItemView);
  });

  namedSecretCommand(secret, 'purge', 'purge a deleted secret for good').action(async (opts: SecretOpts, cmd: Command) => {
    ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).purge(opts.name), purgeView);
  });

  namedSecretCommand(secret, 'backup', 'write a backup blob of every version to a file')
    .addOption(new Option('--file <path>', 'where to write the blob (- = stdout)').makeOptionMandatory())
    .action(async (opts: SecretOpts & { file: string }, cmd: Command) => {
      const blob = await (await ctx.secrets(cmd, opts.vault)).backup(opts.name);
      await writeTextOutput(opts.file, blob, ctx.io.stdout);
    });

  secret
    .command('restore')
    .description('restore a secret from a backup blob')
    .addOption(vaultOption())
    .addOption(new Option('--file <path>', 'the blob written by backup (- = stdin)').makeOptionMandatory())
    .action(async (opts: VaultOpt & { file: string }, cmd: Command) => {
      // The blob is a token; surrounding whitespace (a trailing newline from an editor or echo) is not part of it.
      const blob = (await readTextInput(opts.file, ctx.io.stdin)).trim();
      if (!blob) throw new UsageError(`${opts.file} is empty`);
      ctx.print(cmd, await (await ctx.secrets(cmd, opts.vault)).restore(blob), secretItemView);
    });
}
