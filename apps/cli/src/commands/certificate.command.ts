import { CertificatesClient, take } from '@coffer/client';
import { CERTIFICATE_CURVES, CertificatePolicyRequest } from '@coffer/contracts/protocol';
import { pemOf } from '@coffer/x509/pem';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { readBytesInput, readTextInput, writeBytesOutput, writeTextOutput } from '../files';
import { enabledFlag, intInRange, pageSizeFor } from '../options';
import { UsageError } from '../usage-error';
import {
  certificateBundleView, certificateContactsView, certificateCreateView, certificateDownloadView, certificateItemView, certificateOperationView,
  certificatePolicyView, deletedCertificateView, purgeView,
} from '../views';
import {
  CONTENT_TYPES, parseList, parseSan, policyArgument, PolicyFlags, resolvePolicyInput,
} from './certificate-policy-options';
import {
  AttributeOpts, disabledOption, enabledOption, ifMatchOption, MaxResultsOpt, maxResultsOption, NameOpt, nameOption, tagsOption, VaultOpt,
  vaultOption, versionOption,
} from './common-options';

type CertOpts = VaultOpt & NameOpt;
type PolicyOpts = PolicyFlags & { policy?: string };

const certificates = async (ctx: CliContext, cmd: Command, vault: string): Promise<CertificatesClient> => (await ctx.connect(cmd)).certificates(vault);

/** A `coffer certificate <op>` command with --vault and -n/--name. */
function namedCommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).addOption(vaultOption()).addOption(nameOption('certificate'));
}

/** The flags that make a policy, shared by `create` and `policy set`. */
function withPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--policy <@file|json>', 'the whole policy as JSON: @path (@- = stdin) or inline; instead of the flags below'))
    .addOption(new Option('--subject <dn>', 'X.509 subject, e.g. "CN=www.example.com, O=Acme"'))
    .addOption(new Option('--san <kind:value...>', 'subject alternative names: dns:…, ip:…, email:…, upn:…, uri:…').argParser(parseSan))
    .addOption(new Option('--issuer <name>', 'Self (self-signed), Unknown (external CA: pending + merge) or an issuer of the vault'))
    .addOption(new Option('--kty <type>', 'key type').choices(['RSA', 'EC']))
    .addOption(new Option('--size <bits>', 'RSA key size: 2048, 3072, 4096').argParser(intInRange(2048, 4096)))
    .addOption(new Option('--curve <crv>', 'EC curve').choices(CERTIFICATE_CURVES))
    .addOption(new Option('--validity-months <n>', 'validity in months (default 12 when --subject is given)').argParser(intInRange(1, 1200)))
    .addOption(new Option('--exportable', 'the private key may leave the HSM in the certificate\'s secret'))
    .addOption(new Option('--reuse-key', 'renewals (new versions) keep the current HSM key'))
    .addOption(new Option('--content-type <type>', 'the secret\'s format').choices(Object.keys(CONTENT_TYPES)))
    .addOption(new Option('--eku <oid|name,...>', 'extended key usages (OIDs or serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, ocspSigning)').argParser(parseList))
    .addOption(new Option('--key-usage <name,...>', 'key usages, e.g. digitalSignature,keyEncipherment').argParser(parseList));
}

/** The policy of `--policy @file|json` or of the flags. */
async function policyOf(ctx: CliContext, opts: PolicyOpts): Promise<CertificatePolicyRequest> {
  const { policy, ...flags } = opts;
  let text: string | undefined;
  if (policy !== undefined) {
    const arg = policyArgument(policy);
    text = 'path' in arg ? await readTextInput(arg.path, ctx.io.stdin) : arg.json;
  }
  return resolvePolicyInput(text, pickPolicyFlags(flags));
}

function pickPolicyFlags(o: PolicyFlags): PolicyFlags {
  const { subject, san, issuer, kty, size, curve, validityMonths, exportable, reuseKey, contentType, eku, keyUsage } = o;
  return { subject, san, issuer, kty, size, curve, validityMonths, exportable, reuseKey, contentType, eku, keyUsage };
}

/** An import file: PEM text as is, anything else (a PFX) as base64. */
async function importValue(ctx: CliContext, path: string): Promise<string> {
  const bytes = await readBytesInput(path, ctx.io.stdin);
  if (bytes.length === 0) throw new UsageError(`${path} is empty`);
  const text = bytes.toString('utf8');
  return text.includes('-----BEGIN ') ? text : bytes.toString('base64');
}

/** `coffer certificate …`, modelled on `az keyvault certificate`. */
export function registerCertificateCommands(program: Command, ctx: CliContext): void {
  const cert = program.command('certificate').description('manage X.509 certificates (key in the HSM, certificate and secret together)');

  withPolicyOptions(namedCommand(cert, 'create', 'create a certificate (a new version if it exists) from a policy'))
    .addOption(tagsOption())
    .addOption(enabledOption('certificate'))
    .addOption(disabledOption('certificate'))
    .action(async (opts: CertOpts & PolicyOpts & AttributeOpts, cmd: Command) => {
      const policy = await policyOf(ctx, opts);
      const result = await (await certificates(ctx, cmd, opts.vault)).create(opts.name, { policy, tags: opts.tags, enabled: enabledFlag(opts) });
      ctx.print(cmd, result, certificateCreateView);
    });

  namedCommand(cert, 'import', 'import a certificate with its private key (PFX, or PEM with a PKCS#8 key); the key goes into the HSM')
    .addOption(new Option('--file <path>', 'a PFX/PKCS#12 file, or PEM text with the certificate, its chain and the key (- = stdin)').makeOptionMandatory())
    .addOption(new Option('--password <password>', 'the PFX password (default: empty)'))
    .addOption(new Option('--policy <@file|json>', 'policy for the imported certificate (e.g. exportable, renewal); default: from the certificate'))
    .addOption(tagsOption())
    .addOption(enabledOption('certificate'))
    .addOption(disabledOption('certificate'))
    .action(async (opts: CertOpts & AttributeOpts & { file: string; password?: string; policy?: string }, cmd: Command) => {
      const value = await importValue(ctx, opts.file);
      const policy = opts.policy === undefined ? undefined : await policyOf(ctx, { policy: opts.policy });
      const bundle = await (await certificates(ctx, cmd, opts.vault)).import(opts.name, value, { password: opts.password, policy, tags: opts.tags, enabled: enabledFlag(opts) });
      ctx.print(cmd, bundle, certificateBundleView);
    });

  namedCommand(cert, 'show', 'show a certificate (cer, kid, sid, policy)')
    .addOption(versionOption('certificate'))
    .action(async (opts: CertOpts & { version?: string }, cmd: Command) => {
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).get(opts.name, opts.version), certificateBundleView);
    });

  cert.command('list').description('list certificates').addOption(vaultOption()).addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await certificates(ctx, cmd, opts.vault)).list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), certificateItemView);
    });

  namedCommand(cert, 'list-versions', 'list the versions of a certificate').addOption(maxResultsOption())
    .action(async (opts: CertOpts & MaxResultsOpt, cmd: Command) => {
      const items = (await certificates(ctx, cmd, opts.vault)).listVersions(opts.name, { pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), certificateItemView);
    });

  namedCommand(cert, 'set-attributes', 'enable/disable a version or replace its tags')
    .addOption(versionOption('certificate'))
    .addOption(enabledOption('certificate'))
    .addOption(disabledOption('certificate'))
    .addOption(tagsOption())
    .addOption(ifMatchOption())
    .action(async (opts: CertOpts & AttributeOpts & { version?: string }, cmd: Command) => {
      const enabled = enabledFlag(opts);
      if (enabled === undefined && opts.tags === undefined) throw new UsageError('nothing to change: give --enabled/--disabled or --tags');
      const bundle = await (await certificates(ctx, cmd, opts.vault)).updateProperties(opts.name, opts.version, { enabled, tags: opts.tags, ifMatch: opts.ifMatch });
      ctx.print(cmd, bundle, certificateBundleView);
    });

  namedCommand(cert, 'delete', 'delete a certificate with its key and secret (recoverable until purged)').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).delete(opts.name), deletedCertificateView);
  });

  cert.command('list-deleted').description('list deleted certificates').addOption(vaultOption()).addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await certificates(ctx, cmd, opts.vault)).listDeleted({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), deletedCertificateView);
    });

  namedCommand(cert, 'show-deleted', 'show a deleted certificate').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).getDeleted(opts.name), deletedCertificateView);
  });

  namedCommand(cert, 'recover', 'recover a deleted certificate (with its key and secret)').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).recover(opts.name), certificateBundleView);
  });

  namedCommand(cert, 'purge', 'purge a deleted certificate for good (destroys its HSM keys)').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).purge(opts.name), purgeView);
  });

  namedCommand(cert, 'backup', 'write a backup blob of every version (keys wrapped by the HSM backup key)')
    .addOption(new Option('--file <path>', 'where to write the blob (- = stdout)').makeOptionMandatory())
    .action(async (opts: CertOpts & { file: string }, cmd: Command) => {
      await writeTextOutput(opts.file, await (await certificates(ctx, cmd, opts.vault)).backup(opts.name), ctx.io.stdout);
    });

  cert.command('restore').description('restore a certificate from a backup blob').addOption(vaultOption())
    .addOption(new Option('--file <path>', 'the blob written by backup (- = stdin)').makeOptionMandatory())
    .action(async (opts: VaultOpt & { file: string }, cmd: Command) => {
      const blob = (await readTextInput(opts.file, ctx.io.stdin)).trim();
      if (!blob) throw new UsageError(`${opts.file} is empty`);
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).restore(blob), certificateBundleView);
    });

  namedCommand(cert, 'download', 'the public certificate: PEM (with its chain) or DER')
    .addOption(versionOption('certificate'))
    .addOption(new Option('--encoding <encoding>', 'PEM or DER').choices(['PEM', 'DER']).default('PEM'))
    .addOption(new Option('--file <path>', 'write it to a file (- = stdout): PEM text or raw DER bytes'))
    .action(async (opts: CertOpts & { version?: string; encoding: 'PEM' | 'DER'; file?: string }, cmd: Command) => {
      const download = await (await certificates(ctx, cmd, opts.vault)).download(opts.name, opts.encoding, opts.version);
      if (opts.file === undefined) return ctx.print(cmd, download, certificateDownloadView);
      if (download.encoding === 'PEM') return writeTextOutput(opts.file, download.value, ctx.io.stdout);
      return writeBytesOutput(opts.file, Buffer.from(download.value, 'base64'), ctx.io.stdout);
    });

  cert.command('get-default-policy').description('the policy parts a create takes when they are left out').addOption(vaultOption())
    .action(async (opts: VaultOpt, cmd: Command) => {
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).getDefaultPolicy(), certificatePolicyView);
    });

  const policy = cert.command('policy').description('show or change the policy the next version follows');
  namedCommand(policy, 'show', 'show a certificate\'s policy').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).getPolicy(opts.name), certificatePolicyView);
  });
  withPolicyOptions(namedCommand(policy, 'set', 'replace the parts of the policy given'))
    .action(async (opts: CertOpts & PolicyOpts, cmd: Command) => {
      const request = await policyOf(ctx, opts);
      if (Object.keys(request).length === 0) throw new UsageError('nothing to change: give --policy or policy flags');
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).updatePolicy(opts.name, request), certificatePolicyView);
    });

  registerPendingCommands(cert, ctx);
  registerContactCommands(cert, ctx);
}

function registerPendingCommands(cert: Command, ctx: CliContext): void {
  const pending = cert.command('pending').description('the pending operation of a certificate whose issuer is Unknown');
  namedCommand(pending, 'show', 'show the pending operation (with its CSR)')
    .addOption(new Option('--csr-file <path>', 'also write the CSR as PEM to this file (- = stdout)'))
    .action(async (opts: CertOpts & { csrFile?: string }, cmd: Command) => {
      const operation = await (await certificates(ctx, cmd, opts.vault)).getOperation(opts.name);
      if (opts.csrFile !== undefined) await writeTextOutput(opts.csrFile, pemOf(Buffer.from(operation.csr, 'base64'), 'CERTIFICATE REQUEST'), ctx.io.stdout);
      if (opts.csrFile !== '-') ctx.print(cmd, operation, certificateOperationView);
    });
  namedCommand(pending, 'merge', 'complete the operation with the certificate the CA signed (and its chain)')
    .addOption(new Option('--file <path>', 'PEM with the signed certificate first, then its chain (- = stdin)').makeOptionMandatory())
    .addOption(tagsOption())
    .action(async (opts: CertOpts & { file: string; tags?: Record<string, string> }, cmd: Command) => {
      const chain = await readTextInput(opts.file, ctx.io.stdin);
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).merge(opts.name, [chain], { tags: opts.tags }), certificateCreateView);
    });
  namedCommand(pending, 'cancel', 'cancel the operation (its key is destroyed)').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).cancelOperation(opts.name), certificateOperationView);
  });
  namedCommand(pending, 'delete', 'delete the operation (its key is destroyed)').action(async (opts: CertOpts, cmd: Command) => {
    ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).deleteOperation(opts.name), certificateOperationView);
  });
}

function registerContactCommands(cert: Command, ctx: CliContext): void {
  const contact = cert.command('contact').description('who is told about the vault\'s certificates');
  contact.command('add').description('add a contact (or replace the one with this email)').addOption(vaultOption())
    .addOption(new Option('--email <address>', 'email address').makeOptionMandatory())
    .addOption(new Option('--name <name>', 'the contact\'s name'))
    .addOption(new Option('--phone <number>', 'phone number'))
    .action(async (opts: VaultOpt & { email: string; name?: string; phone?: string }, cmd: Command) => {
      const client = await certificates(ctx, cmd, opts.vault);
      const others = (await currentContacts(client)).filter((c) => c.email !== opts.email);
      const added = { email: opts.email, ...(opts.name && { name: opts.name }), ...(opts.phone && { phone: opts.phone }) };
      ctx.print(cmd, await client.setContacts([...others, added]), certificateContactsView);
    });
  contact.command('list').description('list the contacts').addOption(vaultOption())
    .action(async (opts: VaultOpt, cmd: Command) => {
      ctx.print(cmd, await (await certificates(ctx, cmd, opts.vault)).getContacts(), certificateContactsView);
    });
  contact.command('delete').description('remove one contact (--email) or all of them').addOption(vaultOption())
    .addOption(new Option('--email <address>', 'the contact to remove (default: all)'))
    .action(async (opts: VaultOpt & { email?: string }, cmd: Command) => {
      const client = await certificates(ctx, cmd, opts.vault);
      if (opts.email === undefined) return ctx.print(cmd, await client.deleteContacts(), certificateContactsView);
      const contacts = await currentContacts(client);
      const rest = contacts.filter((c) => c.email !== opts.email);
      if (rest.length === contacts.length) throw new UsageError(`no contact has the email ${opts.email}`);
      ctx.print(cmd, rest.length === 0 ? await client.deleteContacts() : await client.setContacts(rest), certificateContactsView);
    });
}

/** The vault's contacts; none yet is an empty list, not an error. */
async function currentContacts(client: CertificatesClient) {
  try {
    return (await client.getContacts()).contacts;
  } catch (err) {
    if ((err as { innerCode?: string }).innerCode === 'ContactsNotFound') return [];
    throw err;
  }
}
