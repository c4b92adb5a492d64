import { createHash } from 'node:crypto';
import { KeyAttributesInput, KeysClient, take } from '@coffer/client';
import {
  CURVES, ENCRYPTION_ALGORITHMS, KEY_OPS, KEY_TYPES_REQUESTED, KeyOp, KeyOperationResult, KeyLimits, LifetimeAction, SIGNATURE_ALGORITHMS,
  SIGNATURE_SPECS, SignatureAlgorithm, WRAP_ALGORITHMS,
} from '@coffer/contracts/protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext } from '../cli-context';
import { ExitCodes } from '../exit-codes';
import { readBytesInput, readTextInput, writeBytesOutput, writeTextOutput } from '../files';
import { enabledFlag, intInRange, pageSizeFor } from '../options';
import { UsageError } from '../usage-error';
import { parsePrivateKeyFile } from '../private-key-file';
import {
  deletedKeyView, keyBundleView, keyItemView, keyOperationView, keyVerifyView, purgeView, randomView, rotationPolicyView, dataKeyView,
} from '../views';
import {
  AttributeOpts, disabledOption, enabledOption, expiresOption, ifMatchOption, MaxResultsOpt, maxResultsOption, NameOpt,
  nameOption, notBeforeOption, tagsOption, VaultOpt, vaultOption, versionOption,
} from './common-options';

type KeyOpts = VaultOpt & NameOpt;
type VersionOpt = { version?: string };
type InputOpts = { value?: string; file?: string };
type OutFileOpt = { outFile?: string };

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

function parseKeyOps(value: string, previous: KeyOp[] | undefined): KeyOp[] {
  const ops = value.split(',').map((v) => v.trim()).filter(Boolean);
  for (const op of ops) if (!(KEY_OPS as readonly string[]).includes(op)) throw new InvalidArgumentError(`key operations are ${KEY_OPS.join(', ')} (got '${op}').`);
  return [...new Set([...(previous ?? []), ...(ops as KeyOp[])])];
}

function parseDuration(value: string): string {
  if (!ISO_DURATION.test(value)) throw new InvalidArgumentError(`expected an ISO 8601 duration such as P90D, P1Y or PT12H (got '${value}').`);
  return value;
}

function parseBase64Url(value: string): string {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9_-]*$/.test(trimmed)) throw new InvalidArgumentError('expected base64url (A-Z a-z 0-9 - _, no padding).');
  return trimmed;
}

function attributesOf(opts: AttributeOpts): KeyAttributesInput {
  return { enabled: enabledFlag(opts), notBefore: opts.notBefore, expiresOn: opts.expires };
}

const keyOpsOption = () => new Option('--ops <op,...>', `permitted operations (${KEY_OPS.join(', ')})`).argParser(parseKeyOps);
const algOption = (algs: readonly string[]) => new Option('--alg <alg>', 'algorithm').choices(algs).makeOptionMandatory();
const valueOption = (what: string) => new Option('--value <text>', what).conflicts('file');
const fileOption = (what: string) => new Option('--file <path>', what);
const outFileOption = () => new Option('--out-file <path>', 'write the raw result bytes to a file (- = stdout) instead of printing');
const aadOption = () => new Option('--aad <base64url>', 'AES-GCM additional authenticated data').argParser(parseBase64Url);

/** A `coffer key <op>` command with --vault and -n/--name. */
function namedKeyCommand(key: Command, name: string, description: string): Command {
  return key.command(name).description(description).addOption(vaultOption()).addOption(nameOption('key'));
}

/** A key operation: --vault, -n, a version option, --alg, the input as --value or --file, and --out-file. */
function operationCommand(key: Command, name: string, description: string, algs: readonly string[], input: { value: string; file: string }, version = versionOption('key')): Command {
  return namedKeyCommand(key, name, description)
    .addOption(version)
    .addOption(algOption(algs))
    .addOption(valueOption(input.value))
    .addOption(fileOption(input.file))
    .addOption(outFileOption());
}

/** Raw bytes of `--value` (text, or base64url when the input is a ciphertext/signature) or `--file` (raw bytes). */
async function inputBytes(ctx: CliContext, opts: InputOpts, valueIs: 'text' | 'base64url'): Promise<Buffer> {
  if (opts.value === undefined && opts.file === undefined) throw new UsageError('give the input with --value or --file');
  if (opts.file !== undefined) return readBytesInput(opts.file, ctx.io.stdin);
  return valueIs === 'text' ? Buffer.from(opts.value!, 'utf8') : Buffer.from(parseBase64Url(opts.value!), 'base64url');
}

/** The digest to sign or verify: given with --digest, or computed here from --value/--file with the algorithm's hash. */
async function digestOf(ctx: CliContext, alg: SignatureAlgorithm, opts: InputOpts & { digest?: string }): Promise<string> {
  if (opts.digest !== undefined) {
    if (opts.value !== undefined || opts.file !== undefined) throw new UsageError('give either --digest or the data (--value/--file), not both');
    return opts.digest;
  }
  const data = await inputBytes(ctx, opts, 'text');
  return createHash(SIGNATURE_SPECS[alg].digest).update(data).digest('base64url');
}

async function printOrWrite(ctx: CliContext, cmd: Command, result: KeyOperationResult, outFile: string | undefined): Promise<void> {
  if (outFile === undefined) return ctx.print(cmd, result, keyOperationView);
  await writeBytesOutput(outFile, Buffer.from(result.value, 'base64url'), ctx.io.stdout);
}

/** `coffer key …`, modelled on `az keyvault key`. */
export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('manage keys held in the HSM and use them');
  const keys = (cmd: Command, vault: string): Promise<KeysClient> => ctx.keys(cmd, vault);

  namedKeyCommand(key, 'create', 'create a key inside the HSM (a new version if it exists)')
    .addOption(new Option('--kty <type>', 'key type').choices(KEY_TYPES_REQUESTED).makeOptionMandatory())
    .addOption(new Option('--size <bits>', 'RSA: 2048 (default), 3072, 4096; oct: 128, 192, 256 (default)').argParser(intInRange(128, 4096)))
    .addOption(new Option('--public-exponent <e>', 'RSA public exponent (default 65537)').argParser(intInRange(3)))
    .addOption(new Option('--curve <crv>', 'EC curve (default P-256)').choices(CURVES))
    .addOption(keyOpsOption())
    .addOption(tagsOption())
    .addOption(expiresOption())
    .addOption(notBeforeOption())
    .addOption(enabledOption('key'))
    .addOption(disabledOption('key'))
    .action(async (opts: KeyOpts & AttributeOpts & { kty: (typeof KEY_TYPES_REQUESTED)[number]; size?: number; publicExponent?: number; curve?: (typeof CURVES)[number]; ops?: KeyOp[] }, cmd: Command) => {
      const bundle = await (await keys(cmd, opts.vault)).create(opts.name, opts.kty, {
        ...attributesOf(opts), size: opts.size, publicExponent: opts.publicExponent, curve: opts.curve, keyOps: opts.ops, tags: opts.tags,
      });
      ctx.print(cmd, bundle, keyBundleView);
    });

  namedKeyCommand(key, 'import', 'import (BYOK) a private key into the HSM from a JWK or PEM file')
    .addOption(new Option('--file <path>', 'the private key: a JWK (JSON) or PEM/PKCS#8 file (- = stdin)').makeOptionMandatory())
    .addOption(new Option('--password <password>', 'passphrase of an encrypted PEM'))
    .addOption(keyOpsOption())
    .addOption(tagsOption())
    .addOption(expiresOption())
    .addOption(notBeforeOption())
    .addOption(enabledOption('key'))
    .addOption(disabledOption('key'))
    .action(async (opts: KeyOpts & AttributeOpts & { file: string; password?: string; ops?: KeyOp[] }, cmd: Command) => {
      const jwk = parsePrivateKeyFile(await readTextInput(opts.file, ctx.io.stdin), opts.password);
      const bundle = await (await keys(cmd, opts.vault)).import(opts.name, jwk, { ...attributesOf(opts), keyOps: opts.ops, tags: opts.tags });
      ctx.print(cmd, bundle, keyBundleView);
    });

  namedKeyCommand(key, 'show', 'show a key (its public part as a JWK)')
    .addOption(versionOption('key'))
    .action(async (opts: KeyOpts & VersionOpt, cmd: Command) => {
      ctx.print(cmd, await (await keys(cmd, opts.vault)).get(opts.name, opts.version), keyBundleView);
    });

  key
    .command('list')
    .description('list keys')
    .addOption(vaultOption())
    .addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await keys(cmd, opts.vault)).list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), keyItemView);
    });

  namedKeyCommand(key, 'list-versions', 'list the versions of a key')
    .addOption(maxResultsOption())
    .action(async (opts: KeyOpts & MaxResultsOpt, cmd: Command) => {
      const items = (await keys(cmd, opts.vault)).listVersions(opts.name, { pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), keyItemView);
    });

  namedKeyCommand(key, 'set-attributes', 'change attributes, permitted operations or tags of a version')
    .addOption(versionOption('key'))
    .addOption(enabledOption('key'))
    .addOption(disabledOption('key'))
    .addOption(expiresOption())
    .addOption(notBeforeOption())
    .addOption(keyOpsOption())
    .addOption(tagsOption())
    .addOption(ifMatchOption())
    .action(async (opts: KeyOpts & AttributeOpts & VersionOpt & { ops?: KeyOp[] }, cmd: Command) => {
      const patch = { ...attributesOf(opts), keyOps: opts.ops, tags: opts.tags };
      if (Object.values(patch).every((v) => v === undefined)) {
        throw new UsageError('nothing to change: give --enabled/--disabled, --expires, --not-before, --ops or --tags');
      }
      const bundle = await (await keys(cmd, opts.vault)).updateProperties(opts.name, opts.version, { ...patch, ifMatch: opts.ifMatch });
      ctx.print(cmd, bundle, keyBundleView);
    });

  namedKeyCommand(key, 'rotate', 'create a new version of a key with the same type and size').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await keys(cmd, opts.vault)).rotate(opts.name), keyBundleView);
  });

  namedKeyCommand(key, 'delete', 'delete a key (recoverable until purged)').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await keys(cmd, opts.vault)).delete(opts.name), deletedKeyView);
  });

  key
    .command('list-deleted')
    .description('list deleted keys')
    .addOption(vaultOption())
    .addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await keys(cmd, opts.vault)).listDeleted({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), deletedKeyView);
    });

  namedKeyCommand(key, 'show-deleted', 'show a deleted key').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await keys(cmd, opts.vault)).getDeleted(opts.name), deletedKeyView);
  });

  namedKeyCommand(key, 'recover', 'recover a deleted key').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await keys(cmd, opts.vault)).recover(opts.name), keyBundleView);
  });

  namedKeyCommand(key, 'purge', 'purge a deleted key for good (destroys its HSM objects)').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await keys(cmd, opts.vault)).purge(opts.name), purgeView);
  });

  namedKeyCommand(key, 'backup', 'write a backup blob of every version (key material wrapped by the HSM backup key)')
    .addOption(new Option('--file <path>', 'where to write the blob (- = stdout)').makeOptionMandatory())
    .action(async (opts: KeyOpts & { file: string }, cmd: Command) => {
      await writeTextOutput(opts.file, await (await keys(cmd, opts.vault)).backup(opts.name), ctx.io.stdout);
    });

  key
    .command('restore')
    .description('restore a key from a backup blob')
    .addOption(vaultOption())
    .addOption(new Option('--file <path>', 'the blob written by backup (- = stdin)').makeOptionMandatory())
    .action(async (opts: VaultOpt & { file: string }, cmd: Command) => {
      const blob = (await readTextInput(opts.file, ctx.io.stdin)).trim();
      if (!blob) throw new UsageError(`${opts.file} is empty`);
      ctx.print(cmd, await (await keys(cmd, opts.vault)).restore(blob), keyBundleView);
    });

  registerRotationPolicyCommands(key, ctx);
  registerOperationCommands(key, ctx);
}

function registerRotationPolicyCommands(key: Command, ctx: CliContext): void {
  const policy = key.command('rotation-policy').description('show or set when a key rotates and when to be notified');
  namedKeyCommand(policy, 'show', 'show the rotation policy').action(async (opts: KeyOpts, cmd: Command) => {
    ctx.print(cmd, await (await ctx.keys(cmd, opts.vault)).getRotationPolicy(opts.name), rotationPolicyView);
  });
  namedKeyCommand(policy, 'set', 'set the rotation policy (replaces the existing one)')
    .addOption(new Option('--file <path>', 'the policy as JSON: {lifetimeActions:[…], attributes:{expiryTime}} (- = stdin)'))
    .addOption(new Option('--rotate-after <duration>', 'rotate this long after a version is created (e.g. P90D)').argParser(parseDuration).conflicts('file'))
    .addOption(new Option('--rotate-before-expiry <duration>', 'rotate this long before a version expires (e.g. P30D)').argParser(parseDuration).conflicts(['file', 'rotateAfter']))
    .addOption(new Option('--notify-before-expiry <duration>', 'emit a near-expiry notification this long before expiry').argParser(parseDuration).conflicts('file'))
    .addOption(new Option('--expires-after <duration>', 'new versions expire this long after creation (e.g. P1Y)').argParser(parseDuration).conflicts('file'))
    .action(async (opts: KeyOpts & { file?: string; rotateAfter?: string; rotateBeforeExpiry?: string; notifyBeforeExpiry?: string; expiresAfter?: string }, cmd: Command) => {
      let lifetimeActions: LifetimeAction[];
      let expiryTime = opts.expiresAfter;
      if (opts.file !== undefined) {
        let parsed: { lifetimeActions?: LifetimeAction[]; attributes?: { expiryTime?: string } };
        try {
          parsed = JSON.parse(await readTextInput(opts.file, ctx.io.stdin));
        } catch {
          throw new UsageError(`${opts.file} is not JSON`);
        }
        lifetimeActions = parsed.lifetimeActions ?? [];
        expiryTime = parsed.attributes?.expiryTime;
      } else {
        lifetimeActions = [];
        if (opts.rotateAfter) lifetimeActions.push({ trigger: { timeAfterCreate: opts.rotateAfter }, action: { type: 'Rotate' } });
        if (opts.rotateBeforeExpiry) lifetimeActions.push({ trigger: { timeBeforeExpiry: opts.rotateBeforeExpiry }, action: { type: 'Rotate' } });
        if (opts.notifyBeforeExpiry) lifetimeActions.push({ trigger: { timeBeforeExpiry: opts.notifyBeforeExpiry }, action: { type: 'Notify' } });
        if (lifetimeActions.length === 0 && expiryTime === undefined) {
          throw new UsageError('give --file, or at least one of --rotate-after, --rotate-before-expiry, --notify-before-expiry, --expires-after');
        }
      }
      ctx.print(cmd, await (await ctx.keys(cmd, opts.vault)).setRotationPolicy(opts.name, { lifetimeActions, expiryTime }), rotationPolicyView);
    });
}

function registerOperationCommands(key: Command, ctx: CliContext): void {
  operationCommand(key, 'sign', 'sign a digest (or data, hashed here with the algorithm\'s hash)', SIGNATURE_ALGORITHMS, {
    value: 'data to hash and sign (text)', file: 'data to hash and sign (raw bytes; - = stdin)',
  })
    .addOption(new Option('--digest <base64url>', 'the digest to sign').argParser(parseBase64Url))
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & OutFileOpt & { alg: SignatureAlgorithm; digest?: string }, cmd: Command) => {
      const digest = await digestOf(ctx, opts.alg, opts);
      await printOrWrite(ctx, cmd, await (await ctx.keys(cmd, opts.vault)).sign(opts.name, opts.alg, digest, { version: opts.version }), opts.outFile);
    });

  namedKeyCommand(key, 'verify', 'verify a signature over a digest (or data, hashed here)')
    .addOption(versionOption('key'))
    .addOption(algOption(SIGNATURE_ALGORITHMS))
    .addOption(new Option('--signature <base64url>', 'the signature').argParser(parseBase64Url).makeOptionMandatory())
    .addOption(new Option('--digest <base64url>', 'the digest that was signed').argParser(parseBase64Url))
    .addOption(valueOption('data that was signed (text)'))
    .addOption(fileOption('data that was signed (raw bytes; - = stdin)'))
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & { alg: SignatureAlgorithm; digest?: string; signature: string }, cmd: Command) => {
      const digest = await digestOf(ctx, opts.alg, opts);
      const result = await (await ctx.keys(cmd, opts.vault)).verify(opts.name, opts.alg, digest, opts.signature, { version: opts.version });
      ctx.print(cmd, result, keyVerifyView);
      if (!result.value) ctx.exitCode = ExitCodes.Error;
    });

  operationCommand(key, 'encrypt', 'encrypt a value', ENCRYPTION_ALGORITHMS, { value: 'plaintext (text)', file: 'plaintext (raw bytes; - = stdin)' })
    .addOption(aadOption())
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & OutFileOpt & { alg: (typeof ENCRYPTION_ALGORITHMS)[number]; aad?: string }, cmd: Command) => {
      const plaintext = await inputBytes(ctx, opts, 'text');
      const result = await (await ctx.keys(cmd, opts.vault)).encrypt(opts.name, opts.alg, plaintext, { version: opts.version, aad: opts.aad });
      await printOrWrite(ctx, cmd, result, opts.outFile);
    });

  operationCommand(key, 'decrypt', 'decrypt a value', ENCRYPTION_ALGORITHMS, { value: 'ciphertext (base64url, as encrypt prints it)', file: 'ciphertext (raw bytes; - = stdin)' })
    .addOption(new Option('--iv <base64url>', 'AES-GCM nonce').argParser(parseBase64Url))
    .addOption(new Option('--tag <base64url>', 'AES-GCM authentication tag').argParser(parseBase64Url))
    .addOption(aadOption())
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & OutFileOpt & { alg: (typeof ENCRYPTION_ALGORITHMS)[number]; iv?: string; tag?: string; aad?: string }, cmd: Command) => {
      const ciphertext = await inputBytes(ctx, opts, 'base64url');
      const result = await (await ctx.keys(cmd, opts.vault)).decrypt(opts.name, opts.alg, ciphertext, {
        version: opts.version, iv: opts.iv, tag: opts.tag, aad: opts.aad,
      });
      await printOrWrite(ctx, cmd, result, opts.outFile);
    });

  operationCommand(key, 'wrap', 'wrap a key (bytes) under this key', WRAP_ALGORITHMS, { value: 'the key to wrap (base64url)', file: 'the key to wrap (raw bytes; - = stdin)' })
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & OutFileOpt & { alg: (typeof WRAP_ALGORITHMS)[number] }, cmd: Command) => {
      const keyBytes = await inputBytes(ctx, opts, 'base64url');
      await printOrWrite(ctx, cmd, await (await ctx.keys(cmd, opts.vault)).wrapKey(opts.name, opts.alg, keyBytes, { version: opts.version }), opts.outFile);
    });

  operationCommand(key, 'unwrap', 'unwrap a wrapped key', WRAP_ALGORITHMS, { value: 'the wrapped key (base64url, as wrap prints it)', file: 'the wrapped key (raw bytes; - = stdin)' })
    .action(async (opts: KeyOpts & VersionOpt & InputOpts & OutFileOpt & { alg: (typeof WRAP_ALGORITHMS)[number] }, cmd: Command) => {
      const wrapped = await inputBytes(ctx, opts, 'base64url');
      await printOrWrite(ctx, cmd, await (await ctx.keys(cmd, opts.vault)).unwrapKey(opts.name, opts.alg, wrapped, { version: opts.version }), opts.outFile);
    });

  namedKeyCommand(key, 'datakey', 'generate a data key: random bytes, returned wrapped under this key (and in plaintext unless --wrapped-only)')
    .addOption(versionOption('key'))
    .addOption(algOption(WRAP_ALGORITHMS))
    .addOption(new Option('--bytes <n>', `data key length (default ${KeyLimits.dataKeyBytesDefault})`).argParser(intInRange(KeyLimits.dataKeyBytesMin, KeyLimits.dataKeyBytesMax)))
    .addOption(new Option('--wrapped-only', 'return only the wrapped data key'))
    .action(async (opts: KeyOpts & VersionOpt & { alg: (typeof WRAP_ALGORITHMS)[number]; bytes?: number; wrappedOnly?: boolean }, cmd: Command) => {
      const result = await (await ctx.keys(cmd, opts.vault)).generateDataKey(opts.name, opts.alg, { version: opts.version, bytes: opts.bytes, wrappedOnly: opts.wrappedOnly });
      ctx.print(cmd, result, dataKeyView);
    });

  operationCommand(
    key, 'rewrap', 'unwrap under an older version and wrap under the latest, without the plaintext leaving the HSM side', WRAP_ALGORITHMS,
    { value: 'the wrapped value (base64url)', file: 'the wrapped value (raw bytes; - = stdin)' },
    new Option('--version <id>', 'the version that wrapped the value').makeOptionMandatory(),
  )
    .action(async (opts: KeyOpts & { version: string } & InputOpts & OutFileOpt & { alg: (typeof WRAP_ALGORITHMS)[number] }, cmd: Command) => {
      const wrapped = await inputBytes(ctx, opts, 'base64url');
      await printOrWrite(ctx, cmd, await (await ctx.keys(cmd, opts.vault)).rewrap(opts.name, opts.version, opts.alg, wrapped), opts.outFile);
    });

  key
    .command('random')
    .description('random bytes from the HSM')
    .addOption(vaultOption())
    .addOption(new Option('--count <n>', `how many bytes (${KeyLimits.randomBytesMin}-${KeyLimits.randomBytesMax})`).argParser(intInRange(KeyLimits.randomBytesMin, KeyLimits.randomBytesMax)).makeOptionMandatory())
    .addOption(outFileOption())
    .action(async (opts: VaultOpt & OutFileOpt & { count: number }, cmd: Command) => {
      const result = await (await ctx.keys(cmd, opts.vault)).random(opts.count);
      if (opts.outFile !== undefined) return writeBytesOutput(opts.outFile, Buffer.from(result.value, 'base64url'), ctx.io.stdout);
      ctx.print(cmd, result, randomView);
    });
}
