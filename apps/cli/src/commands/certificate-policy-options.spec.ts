import { Command, CommanderError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CliContext } from '../cli-context';
import { buildProgram } from '../main';
import { UsageError } from '../usage-error';
import { parseList, parseSan, policyArgument, policyFromFlags, resolvePolicyInput } from './certificate-policy-options';

describe('certificate policy options', () => {
  it('--san accumulates each kind into its policy field; a value may contain colons', () => {
    let sans = parseSan('dns:www.example.com', undefined);
    sans = parseSan('ip:10.0.0.1', sans);
    sans = parseSan('dns:api.example.com', sans);
    sans = parseSan('email:ops@example.com', sans);
    sans = parseSan('upn:alice@corp', sans);
    sans = parseSan('URI:https://example.com:8443/x', sans);
    expect(sans).toEqual({
      dns_names: ['www.example.com', 'api.example.com'], ip_addresses: ['10.0.0.1'], emails: ['ops@example.com'], upns: ['alice@corp'],
      uris: ['https://example.com:8443/x'],
    });
  });

  it.each(['www.example.com', 'fax:123', 'dns:', ':x'])('--san %s is a usage error', (value) => {
    expect(() => parseSan(value, undefined)).toThrow(/SANs are dns:<value>/);
  });

  it('--eku / --key-usage take comma lists and repeats', () => {
    expect(parseList('serverAuth, clientAuth', parseList('serverAuth', undefined))).toEqual(['serverAuth', 'clientAuth']);
  });

  it('flags become a policy request: EKU names as OIDs, content type, key and issuer', () => {
    expect(policyFromFlags({
      subject: 'CN=www.example.com', san: { dns_names: ['www.example.com'] }, issuer: 'root', kty: 'EC', curve: 'P-384',
      exportable: true, contentType: 'pem', eku: ['serverAuth', '1.2.3.4'], keyUsage: ['digitalSignature'], validityMonths: 3,
    })).toEqual({
      key_props: { kty: 'EC', crv: 'P-384', exportable: true },
      secret_props: { contentType: 'application/x-pem-file' },
      x509_props: {
        subject: 'CN=www.example.com', validity_months: 3, sans: { dns_names: ['www.example.com'] }, ekus: ['1.3.6.1.5.5.7.3.1', '1.2.3.4'],
        key_usage: ['digitalSignature'],
      },
      issuer: { name: 'root' },
    });
    expect(policyFromFlags({ subject: 'CN=a' })).toEqual({ x509_props: { subject: 'CN=a', validity_months: 12 } });
    expect(policyFromFlags({})).toEqual({});
    expect(policyFromFlags({ issuer: 'Unknown' }).lifetime_actions).toEqual([{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }]);
  });

  it('refuses X.509 flags without --subject and --size/--curve without --kty', () => {
    expect(() => policyFromFlags({ san: { dns_names: ['a'] } })).toThrow(UsageError);
    expect(() => policyFromFlags({ curve: 'P-256' })).toThrow(/need --kty/);
  });

  it('--policy: @path or inline JSON; a bundle or policy-show output works; not with flags; not JSON is a usage error', () => {
    expect(policyArgument('@p.json')).toEqual({ path: 'p.json' });
    expect(policyArgument('{"issuer":{"name":"Self"}}')).toEqual({ json: '{"issuer":{"name":"Self"}}' });
    expect(resolvePolicyInput('{"issuer":{"name":"Self"}}', {})).toEqual({ issuer: { name: 'Self' } });
    expect(resolvePolicyInput('{"policy":{"issuer":{"name":"x"}},"cer":"…"}', {})).toEqual({ issuer: { name: 'x' } });
    expect(() => resolvePolicyInput('{}', { subject: 'CN=a' })).toThrow(/not both \(--subject\)/);
    expect(() => resolvePolicyInput('nope', {})).toThrow(/not JSON/);
    expect(() => resolvePolicyInput('[1]', {})).toThrow(/JSON object/);
  });

  describe('through the program (no server: the request is captured)', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'coffer-cert-opts-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Parses argv with a fake client whose create captures the request. */
    async function parse(argv: string[]): Promise<unknown> {
      const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
      const ctx = new CliContext(io as never, {});
      let captured: unknown;
      const client = { certificates: () => ({ create: async (name: string, options: object) => {
        captured = { name, ...options };
        return { operation: { target: name, status: 'completed', issuer: { name: 'Self' } } };
      } }) };
      jest.spyOn(ctx, 'connect').mockResolvedValue(client as never);
      const program: Command = buildProgram(ctx);
      await program.parseAsync(argv, { from: 'user' });
      return captured;
    }

    it('create with --subject, repeated --san and --eku', async () => {
      const got = await parse([
        'certificate', 'create', '--vault', 'demo', '-n', 'web', '--subject', 'CN=www.example.com', '--san', 'dns:www.example.com', 'ip:10.0.0.1',
        '--san', 'email:a@example.com', '--issuer', 'root', '--kty', 'RSA', '--size', '3072', '--eku', 'serverAuth', '--validity-months', '6',
      ]);
      expect(got).toEqual(expect.objectContaining({
        name: 'web',
        policy: {
          key_props: { kty: 'RSA', key_size: 3072 },
          x509_props: {
            subject: 'CN=www.example.com', validity_months: 6, sans: { dns_names: ['www.example.com'], ip_addresses: ['10.0.0.1'], emails: ['a@example.com'] },
            ekus: ['1.3.6.1.5.5.7.3.1'],
          },
          issuer: { name: 'root' },
        },
      }));
    });

    it('create --policy @file', async () => {
      const path = join(dir, 'policy.json');
      writeFileSync(path, JSON.stringify({ x509_props: { subject: 'CN=f', validity_months: 2 }, issuer: { name: 'Unknown' } }));
      const got = await parse(['certificate', 'create', '--vault', 'demo', '-n', 'f', '--policy', `@${path}`]);
      expect(got).toEqual(expect.objectContaining({ policy: { x509_props: { subject: 'CN=f', validity_months: 2 }, issuer: { name: 'Unknown' } } }));
    });

    it('a bad --san or --content-type is refused before anything is sent', async () => {
      await expect(parse(['certificate', 'create', '--vault', 'demo', '-n', 'x', '--subject', 'CN=x', '--san', 'www.x'])).rejects.toBeInstanceOf(CommanderError);
      await expect(parse(['certificate', 'create', '--vault', 'demo', '-n', 'x', '--content-type', 'der'])).rejects.toBeInstanceOf(CommanderError);
    });
  });
});
