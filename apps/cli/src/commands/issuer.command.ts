import { IssuersClient, take } from '@coffer/client';
import { CERTIFICATE_CURVES, REVOCATION_REASONS } from '@coffer/contracts/protocol';
import { pemOf } from '@coffer/x509/pem';
import { Command, Option } from 'commander';
import { CliContext } from '../cli-context';
import { readTextInput, writeBytesOutput, writeTextOutput } from '../files';
import { intInRange, pageSizeFor } from '../options';
import { crlView, issuerItemView, issuerView, revocationView, signedCsrView } from '../views';
import { EKU_NAMES, parseList } from './certificate-policy-options';
import { MaxResultsOpt, maxResultsOption, NameOpt, nameOption, VaultOpt, vaultOption } from './common-options';

type IssuerOpts = VaultOpt & NameOpt;

const issuers = async (ctx: CliContext, cmd: Command, vault: string): Promise<IssuersClient> => (await ctx.connect(cmd)).issuers(vault);
const certificatesPem = (b64s: string[]) => b64s.map((b) => pemOf(Buffer.from(b, 'base64'), 'CERTIFICATE')).join('');

function namedCommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).addOption(vaultOption()).addOption(nameOption('issuer'));
}

/** `coffer issuer …`: internal CAs whose keys live in the HSM. */
export function registerIssuerCommands(program: Command, ctx: CliContext): void {
  const issuer = program.command('issuer').description('internal certificate authorities (CA key in the HSM)');

  namedCommand(issuer, 'create', 'create a root CA, or an intermediate under --parent')
    .addOption(new Option('--subject <dn>', 'the CA\'s subject, e.g. "CN=Acme Root CA, O=Acme"').makeOptionMandatory())
    .addOption(new Option('--kty <type>', 'key type (default EC)').choices(['RSA', 'EC']))
    .addOption(new Option('--size <bits>', 'RSA key size').argParser(intInRange(2048, 4096)))
    .addOption(new Option('--curve <crv>', 'EC curve (default P-256)').choices(CERTIFICATE_CURVES))
    .addOption(new Option('--validity-months <n>', 'default 120 for a root, 60 for an intermediate').argParser(intInRange(1, 1200)))
    .addOption(new Option('--parent <issuer>', 'make an intermediate signed by this issuer'))
    .addOption(new Option('--path-length <n>', 'basicConstraints pathLenConstraint').argParser(intInRange(0, 10)))
    .action(async (opts: IssuerOpts & { subject: string; kty?: 'RSA' | 'EC'; size?: number; curve?: (typeof CERTIFICATE_CURVES)[number]; validityMonths?: number; parent?: string; pathLength?: number }, cmd: Command) => {
      const bundle = await (await issuers(ctx, cmd, opts.vault)).create(opts.name, opts.subject, {
        kty: opts.kty, key_size: opts.size, crv: opts.curve, validity_months: opts.validityMonths, parent: opts.parent, path_length: opts.pathLength,
      });
      ctx.print(cmd, bundle, issuerView);
    });

  issuer.command('list').description('list issuers').addOption(vaultOption()).addOption(maxResultsOption())
    .action(async (opts: VaultOpt & MaxResultsOpt, cmd: Command) => {
      const items = (await issuers(ctx, cmd, opts.vault)).list({ pageSize: pageSizeFor(opts.maxResults) });
      ctx.print(cmd, await take(items, opts.maxResults), issuerItemView);
    });

  namedCommand(issuer, 'show', 'show an issuer (its certificate and chain)')
    .addOption(new Option('--out-file <path>', 'write the CA certificate (and its chain) as PEM to this file (- = stdout) instead'))
    .action(async (opts: IssuerOpts & { outFile?: string }, cmd: Command) => {
      const bundle = await (await issuers(ctx, cmd, opts.vault)).get(opts.name);
      if (opts.outFile !== undefined) return writeTextOutput(opts.outFile, certificatesPem([bundle.cer, ...bundle.chain]), ctx.io.stdout);
      ctx.print(cmd, bundle, issuerView);
    });

  namedCommand(issuer, 'sign-csr', 'sign a PKCS#10 request with the issuer\'s HSM key')
    .addOption(new Option('--file <path>', 'the CSR, PEM or base64 DER (- = stdin)').makeOptionMandatory())
    .addOption(new Option('--out-file <path>', 'write the certificate and its chain as PEM to this file (- = stdout) instead of printing'))
    .addOption(new Option('--validity-months <n>', 'validity in months').argParser(intInRange(1, 1200)))
    .addOption(new Option('--eku <oid|name,...>', 'extended key usages (OIDs or serverAuth, clientAuth, …)').argParser(parseList))
    .addOption(new Option('--key-usage <name,...>', 'key usages, e.g. digitalSignature').argParser(parseList))
    .action(async (opts: IssuerOpts & { file: string; outFile?: string; validityMonths?: number; eku?: string[]; keyUsage?: string[] }, cmd: Command) => {
      const csr = await readTextInput(opts.file, ctx.io.stdin);
      const signed = await (await issuers(ctx, cmd, opts.vault)).signCsr(opts.name, csr, {
        validityMonths: opts.validityMonths, ekus: opts.eku?.map((e) => EKU_NAMES[e] ?? e), keyUsage: opts.keyUsage,
      });
      if (opts.outFile !== undefined) return writeTextOutput(opts.outFile, certificatesPem([signed.cer, ...signed.chain]), ctx.io.stdout);
      ctx.print(cmd, signed, signedCsrView);
    });

  namedCommand(issuer, 'revoke', 'revoke a certificate this issuer signed (it appears in the next CRL)')
    .addOption(new Option('--serial-number <hex>', 'the certificate\'s serial number').makeOptionMandatory())
    .addOption(new Option('--reason <reason>', 'revocation reason').choices(REVOCATION_REASONS))
    .action(async (opts: IssuerOpts & { serialNumber: string; reason?: string }, cmd: Command) => {
      ctx.print(cmd, await (await issuers(ctx, cmd, opts.vault)).revoke(opts.name, opts.serialNumber, opts.reason), revocationView);
    });

  namedCommand(issuer, 'crl', 'the issuer\'s current CRL, signed with its HSM key')
    .addOption(new Option('--encoding <encoding>', 'PEM or DER (with --file)').choices(['PEM', 'DER']).default('PEM'))
    .addOption(new Option('--file <path>', 'write the CRL to this file (- = stdout) instead of printing'))
    .action(async (opts: IssuerOpts & { encoding: 'PEM' | 'DER'; file?: string }, cmd: Command) => {
      const crl = await (await issuers(ctx, cmd, opts.vault)).crl(opts.name);
      if (opts.file === undefined) return ctx.print(cmd, crl, crlView);
      const der = Buffer.from(crl.crl, 'base64');
      if (opts.encoding === 'PEM') return writeTextOutput(opts.file, pemOf(der, 'X509 CRL'), ctx.io.stdout);
      return writeBytesOutput(opts.file, der, ctx.io.stdout);
    });
}
