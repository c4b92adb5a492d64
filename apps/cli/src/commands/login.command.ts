import {
  accessTokenOf, CredentialEnv, ExchangeableCredentials, isTokenCredentials, parseCredentials, readCredentialsFile,
} from '@coffer/client';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { deleteTokenCache, embeddedCredentials, embeddedCredentialsPath, tokenCachePath, writeTokenCache } from '../credential-sources';
import { readTextInput } from '../files';
import { parsePrincipalId } from '../options';
import { UsageError } from '../usage-error';
import { loginView, whoamiView } from '../views';

interface LoginOpts {
  clientId?: string;
  clientSecret?: string;
  keyFile?: string;
  credentials?: string;
}

/** The credentials `coffer login` exchanges: the flags, else $COFFER_CREDENTIALS, else the local admin's. */
async function loginCredentials(opts: LoginOpts, ctx: CliContext, natsUrl: string): Promise<ExchangeableCredentials> {
  if (opts.credentials !== undefined) return exchangeable(readCredentialsFile(opts.credentials), opts.credentials);
  if (opts.clientSecret !== undefined || opts.keyFile !== undefined) {
    if (!opts.clientId) throw new UsageError('--client-secret and --key-file need --client-id');
    if (opts.keyFile !== undefined) {
      const seed = (await readTextInput(opts.keyFile, ctx.io.stdin)).trim();
      return exchangeable(parseCredentials({ clientId: opts.clientId, seed }, `key file ${opts.keyFile}`), opts.keyFile);
    }
    // `-` reads the secret from stdin, so it need not appear in the process list or shell history.
    const secret = opts.clientSecret === '-' ? (await readTextInput('-', ctx.io.stdin)).replace(/\r?\n$/, '') : opts.clientSecret!;
    return exchangeable(parseCredentials({ clientId: opts.clientId, clientSecret: secret }, '--client-secret'), '--client-secret');
  }
  if (opts.clientId) throw new UsageError('--client-id needs --client-secret or --key-file');
  const envFile = ctx.env[CredentialEnv.credentials]?.trim();
  if (envFile) return exchangeable(readCredentialsFile(envFile), envFile);
  const embedded = embeddedCredentials(natsUrl, ctx.env);
  if (embedded) return exchangeable(embedded.credentials, embedded.path);
  throw new UsageError(
    `no credentials: give --client-id with --client-secret or --key-file, or --credentials FILE ` +
      `(or set ${CredentialEnv.credentials}; ${embeddedCredentialsPath(ctx.env)} is used for a local server when readable)`,
  );
}

function exchangeable(credentials: ReturnType<typeof parseCredentials>, source: string): ExchangeableCredentials {
  if (isTokenCredentials(credentials)) throw new UsageError(`${source} holds a token: login needs a client secret or a key`);
  return credentials;
}

/** `coffer login`, `coffer logout`, `coffer whoami`. */
export function registerLoginCommands(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('get an access token and cache it for later commands (in ${XDG_CONFIG_HOME:-~/.config}/coffer/token.json)')
    .addOption(new Option('--client-id <id>', 'principal id (p-…)').argParser(parsePrincipalId))
    .addOption(new Option('--client-secret <secret>', 'client secret (- = read it from stdin)').conflicts(['keyFile', 'credentials']))
    .addOption(new Option('--key-file <path>', 'Ed25519 key: a file holding an nkey seed (SU…)').conflicts(['credentials']))
    .addOption(new Option('--credentials <file>', 'JSON credentials file: {clientId, clientSecret} or {clientId, seed}').conflicts(['clientId']))
    .action(async (opts: LoginOpts, cmd: Command) => {
      const natsUrl = ctx.natsUrl(cmd);
      const credentials = await loginCredentials(opts, ctx, natsUrl);
      const client = await ctx.connectWith(cmd, false);
      const sent = Date.now();
      const reply = await client.auth.requestToken(credentials);
      const { expiresOnMs } = accessTokenOf(reply, sent);
      const expiresOn = new Date(expiresOnMs ?? sent + 15 * 60_000).toISOString();
      const tokenFile = tokenCachePath(ctx.env);
      writeTokenCache(tokenFile, {
        natsUrl, accessToken: reply.accessToken, tokenType: 'Bearer', expiresOn, clientId: credentials.clientId, created: new Date(sent).toISOString(),
      });
      ctx.print(cmd, { natsUrl, clientId: credentials.clientId, expiresOn, tokenFile }, loginView);
    });

  program
    .command('logout')
    .description('delete the cached login token')
    .action(async () => {
      const file = tokenCachePath(ctx.env);
      if (!deleteTokenCache(file)) ctx.note(`not logged in (no ${file})`);
    });

  program
    .command('whoami')
    .description('the principal the CLI acts as, its role assignments and when its token expires')
    .action(async (_opts: object, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).auth.whoami(), whoamiView);
    });
}
