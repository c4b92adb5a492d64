import { CofferRequestError } from '@coffer/client';
import { usePrivateUmask } from '@coffer/config';
import { ErrorCodes } from '@coffer/contracts/protocol';
import { Command, CommanderError, Option } from 'commander';
import { CliContext } from './cli-context';
import { CliIo, processIo } from './cli-io';
import { CredentialSource } from './credential-sources';
import { COMMAND_GROUPS } from './commands/command-groups';
import { exitCodeFor } from './exit-codes';
import { intInRange } from './options';
import { ErrorDescription, OUTPUT_FORMATS, renderError } from './output';
import { UsageError } from './usage-error';

/** The `coffer` program. Errors are thrown (exitOverride), not printed, so `run` reports them one way. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('coffer')
    .description('Coffer key vault command line')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      outputError: () => undefined,
    })
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('json'))
    .addOption(new Option('--field <name>', 'print only this field of the result, raw (dotted paths work: attributes.enabled)'))
    .addOption(new Option('--timeout <ms>', 'request timeout in milliseconds (default 10000)').argParser(intInRange(1, 3_600_000)))
    .addOption(new Option('--nats-url <url>', 'NATS server (default: COFFER_NATS_URL or the embedded server)'))
    .addOption(new Option('--token <token>', 'access token to send (default: COFFER_TOKEN, COFFER_CREDENTIALS, the coffer login token, the local admin)'));
  // Subcommands inherit exitOverride and configureOutput from here, so register them last.
  for (const register of COMMAND_GROUPS) register(program, ctx);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never exits the process. */
export async function run(argv: string[], io: CliIo = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = new CliContext(io, env);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    const description = describeError(err);
    if (description) {
      const asJson = wantsJsonErrors(program);
      io.stderr.write(renderError(description, asJson));
      const hint = asJson ? undefined : authHint(err, ctx.credentialSource);
      if (hint) io.stderr.write(`hint: ${hint}\n`);
    }
    return exitCodeFor(err);
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

/** Errors print as JSON only when the user asked for `-o json` explicitly (json is also the default). */
function wantsJsonErrors(program: Command): boolean {
  return program.getOptionValueSource('output') === 'cli' && program.opts().output === 'json';
}

/** What to try after Unauthorized, given where the rejected credentials came from. */
export function authHint(err: unknown, source: CredentialSource | undefined): string | undefined {
  if (!(err instanceof CofferRequestError) || err.code !== ErrorCodes.Unauthorized || err.innerCode === 'InvalidCredential') return undefined;
  switch (source) {
    case 'none':
      return 'no credentials: run coffer login, or set COFFER_CREDENTIALS (a credentials file) or COFFER_TOKEN';
    case 'login':
      return 'the token cached by coffer login was refused: run coffer login again';
    case 'token-option':
    case 'env-token':
      return 'the access token was refused (expired or revoked?): get a new one, or use coffer login';
    default:
      return undefined;
  }
}

/** What to print for a failure; undefined when commander already printed (help). */
export function describeError(err: unknown): ErrorDescription | undefined {
  if (err instanceof CofferRequestError) return { code: err.code, message: err.message, innerCode: err.innerCode, retryAfterMs: err.retryAfterMs };
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return undefined;
    return { code: ErrorCodes.BadParameter, message: err.message.replace(/^error: /, '') };
  }
  if (err instanceof UsageError) return { code: ErrorCodes.BadParameter, message: err.message };
  return { code: ErrorCodes.InternalError, message: err instanceof Error ? err.message : String(err) };
}

/** Entry point for bin/coffer and `node dist/apps/cli/src/main.js`. */
export async function main(): Promise<void> {
  // Backups, downloads, seeds and the login token cache are for this user only.
  usePrivateUmask();
  // exitCode, not exit(): lets stdout drain when piped.
  process.exitCode = await run(process.argv.slice(2));
}

if (require.main === module) void main();
