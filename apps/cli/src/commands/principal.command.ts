import { createKeyPair, publicKeyOfSeed, take } from '@coffer/client';
import { CredentialCreated, PrincipalType } from '@coffer/contracts/protocol';
import { Command, Option } from 'commander';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { CliContext } from '../cli-context';
import { readTextInput } from '../files';
import { pageSizeFor, parseCredentialId, parseIsoDate, parsePrincipalId } from '../options';
import { UsageError } from '../usage-error';
import { credentialCreatedView, principalView } from '../views';
import { MaxResultsOpt, maxResultsOption } from './common-options';

const PRINCIPAL_TYPES: Record<string, PrincipalType> = { user: 'user', 'service-principal': 'servicePrincipal' };

const idOption = () => new Option('--id <id>', 'principal id (p-…)').makeOptionMandatory().argParser(parsePrincipalId);

interface IdOpt {
  id: string;
}

interface AddCredentialOpts extends IdOpt {
  kind?: 'secret' | 'ed25519';
  publicKey?: string;
  keyFile?: string;
  generate?: boolean;
  expires?: string;
  credentialsFile?: string;
}

/** Writes a private file that must not exist yet (a seed or a client secret). */
function writePrivateFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EEXIST' ? `${path} exists: refusing to overwrite it` : `cannot write ${path}: ${code ?? (err as Error).message}`);
  }
}

/** `coffer principal create|list|show|disable|enable` and `coffer principal credential add|remove`. */
export function registerPrincipalCommands(program: Command, ctx: CliContext): void {
  const principal = program.command('principal').description('manage principals (users and service principals) and their credentials');

  principal
    .command('create')
    .description('create a principal (it has no credential and no role yet)')
    .addOption(new Option('--name <name>', 'display name').makeOptionMandatory())
    .addOption(new Option('--type <type>', 'kind of principal').choices(Object.keys(PRINCIPAL_TYPES)).makeOptionMandatory())
    .action(async (opts: { name: string; type: string }, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).principals.create(opts.name, PRINCIPAL_TYPES[opts.type]), principalView);
    });

  principal
    .command('list')
    .description('list principals')
    .addOption(maxResultsOption())
    .action(async (opts: MaxResultsOpt, cmd: Command) => {
      const items = (await ctx.connect(cmd)).principals.list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), principalView);
    });

  for (const [name, description] of [
    ['show', 'show a principal and its credentials (never a secret)'],
    ['disable', 'disable a principal: no new tokens, and its tokens stop working'],
    ['enable', 'enable a disabled principal'],
  ] as const) {
    principal
      .command(name)
      .description(description)
      .addOption(idOption())
      .action(async (opts: IdOpt, cmd: Command) => {
        const principals = (await ctx.connect(cmd)).principals;
        ctx.print(cmd, await principals[name](opts.id), principalView);
      });
  }

  const credential = principal.command('credential').description("manage a principal's credentials");

  credential
    .command('add')
    .description('add a client secret (shown once) or an Ed25519 public key')
    .addOption(idOption())
    .addOption(new Option('--kind <kind>', 'secret, or ed25519 (default: ed25519 with --public-key/--key-file, else secret)').choices(['secret', 'ed25519']))
    .addOption(new Option('--public-key <key>', 'ed25519: the public key (nkey U… or base64 of 32 bytes)').conflicts('keyFile'))
    .addOption(new Option('--key-file <path>', 'ed25519: read the seed (SU…) from this file and register its public key'))
    .addOption(new Option('--generate', 'with --key-file: create a new key pair and write its seed to the file (0600)'))
    .addOption(new Option('--expires <time>', 'when the credential stops working, ISO 8601').argParser(parseIsoDate))
    .addOption(new Option('--credentials-file <path>', 'also write a credentials file (0600) for COFFER_CREDENTIALS or coffer login --credentials'))
    .action(async (opts: AddCredentialOpts, cmd: Command) => {
      const kind = opts.kind ?? (opts.publicKey !== undefined || opts.keyFile !== undefined ? 'ed25519' : 'secret');
      if (opts.generate && opts.keyFile === undefined) throw new UsageError('--generate needs --key-file PATH (where to write the seed)');
      if (opts.credentialsFile !== undefined) {
        if (existsSync(opts.credentialsFile)) throw new UsageError(`${opts.credentialsFile} exists: refusing to overwrite it`);
        if (kind === 'ed25519' && opts.keyFile === undefined) throw new UsageError('--credentials-file with ed25519 needs the seed: use --key-file');
      }
      let publicKey = opts.publicKey;
      let seed: string | undefined;
      const written: string[] = [];
      if (kind === 'secret') {
        if (opts.publicKey !== undefined || opts.keyFile !== undefined) throw new UsageError('--public-key and --key-file are for --kind ed25519');
      } else if (opts.generate) {
        const pair = createKeyPair();
        writePrivateFile(opts.keyFile!, `${pair.seed}\n`);
        written.push(opts.keyFile!);
        ({ seed, publicKey } = pair);
      } else if (opts.keyFile !== undefined) {
        seed = (await readTextInput(opts.keyFile, ctx.io.stdin)).trim();
        publicKey = publicKeyOfSeed(seed);
      } else if (publicKey === undefined) {
        throw new UsageError('--kind ed25519 needs --public-key, --key-file, or --key-file with --generate');
      }

      let created: CredentialCreated;
      try {
        const principals = (await ctx.connect(cmd)).principals;
        created = await principals.addCredential(opts.id, { kind, publicKey, expires: opts.expires });
      } catch (err) {
        for (const file of written) rmSync(file, { force: true }); // a seed nobody registered is of no use
        throw err;
      }
      if (created.clientSecret !== undefined) ctx.note('the client secret is shown this once only: store it now');
      const shown = kind === 'ed25519' ? { ...created, publicKey, ...(opts.keyFile !== undefined ? { keyFile: opts.keyFile } : {}) } : created;
      // Printed before the credentials file is written: if writing fails, the secret is not lost.
      ctx.print(cmd, shown, credentialCreatedView);
      if (opts.credentialsFile !== undefined) {
        const secretPart = kind === 'secret' ? (created.clientSecret !== undefined ? { clientSecret: created.clientSecret } : undefined) : seed !== undefined ? { seed } : undefined;
        if (!secretPart) throw new UsageError('nothing secret to write to --credentials-file (the reply had no client secret)');
        writePrivateFile(opts.credentialsFile, `${JSON.stringify({ clientId: opts.id, ...secretPart }, null, 2)}\n`);
      }
    });

  credential
    .command('remove')
    .description('remove a credential (tokens obtained with it stop working)')
    .addOption(idOption())
    .addOption(new Option('--credential-id <id>', 'credential id (c-…)').makeOptionMandatory().argParser(parseCredentialId))
    .action(async (opts: IdOpt & { credentialId: string }, cmd: Command) => {
      ctx.print(cmd, await (await ctx.connect(cmd)).principals.removeCredential(opts.id, opts.credentialId), principalView);
    });
}
