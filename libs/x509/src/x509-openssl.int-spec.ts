/**
 * The library's output checked by OpenSSL 3 (the `openssl` CLI) and by Node's TLS stack, and
 * OpenSSL's output read by the library: what Azure-compatible tooling will do with Coffer's
 * certificates, CSRs, CRLs and PFX files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { createPrivateKey } from 'node:crypto';
import { parseCertificate, verifyIssuedBy } from './certificate';
import { createCrl } from './crl';
import { createCsr } from './csr';
import { X509InputError } from './errors';
import { EKU } from './key-usage';
import { derOf, pemOf, splitCertificates } from './pem';
import { readPemBundle } from './pem-bundle';
import { createPfx, readPfx } from './pkcs12';
import { WRONG_PASSWORD } from './pkcs12-crypto';
import { publicKeysEqual } from './public-keys';
import { Chain, makeChain } from './testing/chain';
import { softKey, softSigner } from './testing/soft-signer';

const OPENSSL = process.env.OPENSSL ?? 'openssl';
let dir: string;

function openssl(...args: string[]): { code: number; out: string } {
  const r = spawnSync(OPENSSL, args, { cwd: dir, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
function ok(...args: string[]): string {
  const r = openssl(...args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}):\n${r.out}`);
  return r.out;
}
function write(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}
const pem = (der: Buffer) => pemOf(der, 'CERTIFICATE');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-x509-'));
  expect(ok('version')).toMatch(/^OpenSSL 3\./);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['P-256', 'ES256'],
  ['RSA-2048', 'RS256'],
  ['RSA-2048', 'PS256'],
] as const)('%s %s chain', (spec, alg) => {
  let chain: Chain;
  const tag = `${spec}-${alg}`;
  beforeAll(async () => {
    chain = await makeChain(spec, alg);
    write(`root-${tag}.pem`, pem(chain.root));
    write(`inter-${tag}.pem`, pem(chain.intermediate));
    write(`leaf-${tag}.pem`, pem(chain.leaf));
  });

  it('openssl verify accepts root → intermediate → leaf (strict X.509, TLS server purpose)', () => {
    const out = ok('verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', `root-${tag}.pem`, '-untrusted', `inter-${tag}.pem`, `leaf-${tag}.pem`);
    expect(out).toContain(`leaf-${tag}.pem: OK`);
    // Without the intermediate the chain is incomplete: the check is real.
    expect(openssl('verify', '-CAfile', `root-${tag}.pem`, `leaf-${tag}.pem`).code).not.toBe(0);
  });

  it('openssl x509 -text shows subject, SANs, EKU, key usage and validity', () => {
    const text = ok('x509', '-in', `leaf-${tag}.pem`, '-noout', '-text');
    expect(text).toContain('Subject: C = US, O = Acme, CN = localhost');
    expect(text).toContain('DNS:localhost, DNS:www.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    const leaf = parseCertificate(chain.leaf);
    expect(text).toContain(`Not After : ${leaf.notAfter.toUTCString().slice(8, 11)}`);
    expect(ok('x509', '-in', `leaf-${tag}.pem`, '-noout', '-subject', '-nameopt', 'RFC2253')).toContain('subject=CN=localhost,O=Acme,C=US');
    expect(ok('x509', '-in', `leaf-${tag}.pem`, '-noout', '-serial')).toContain(`serial=${leaf.serialNumber.toUpperCase()}`);
    const ca = ok('x509', '-in', `inter-${tag}.pem`, '-noout', '-text');
    expect(ca).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(ca).toContain('URI:http://crl.example.com/root.crl');
    if (alg === 'PS256') expect(text).toMatch(/Signature Algorithm: rsassaPss[\s\S]*Salt Length: 0x20/);
  });

  it('openssl crl -verify passes and lists the revoked serial; verify -crl_check then rejects the leaf', async () => {
    const leaf = parseCertificate(chain.leaf);
    const now = Date.now();
    const crl = await createCrl({
      issuerCertificate: chain.intermediate,
      revoked: [{ serialNumber: leaf.serialNumber, revocationDate: new Date(now - 3600_000), reason: 'keyCompromise' }],
      thisUpdate: new Date(now - 60_000),
      nextUpdate: new Date(now + 7 * 86_400_000),
      crlNumber: 3,
      signer: softSigner(chain.intermediateKey, alg),
    });
    write(`crl-${tag}.pem`, pemOf(crl, 'X509 CRL'));
    write(`cas-${tag}.pem`, pem(chain.root) + pem(chain.intermediate));
    const out = ok('crl', '-in', `crl-${tag}.pem`, '-CAfile', `cas-${tag}.pem`, '-noout', '-text');
    expect(out).toContain('verify OK');
    expect(out).toContain(`Serial Number: ${leaf.serialNumber.toUpperCase()}`);
    expect(out).toContain('Key Compromise');
    expect(out).toMatch(/X509v3 CRL Number:\s+3/);
    const revoked = openssl('verify', '-crl_check', '-CRLfile', `crl-${tag}.pem`, '-CAfile', `root-${tag}.pem`, '-untrusted', `inter-${tag}.pem`, `leaf-${tag}.pem`);
    expect(revoked.code).not.toBe(0);
    expect(revoked.out).toContain('certificate revoked');
  });
});

describe('CSR', () => {
  it.each([['P-256', 'ES256'], ['RSA-2048', 'PS256']] as const)('openssl req -verify accepts a %s %s CSR, and an OpenSSL CA signs it', async (spec, alg) => {
    const key = softKey(spec);
    const csr = await createCsr({
      subject: 'CN=app.example.com, O=Acme, C=US',
      subjectPublicKey: key.publicJwk,
      sans: { dnsNames: ['app.example.com'], ipAddresses: ['192.0.2.10'] },
      keyUsage: ['digitalSignature'],
      ekus: [EKU.serverAuth],
      signer: softSigner(key, alg),
    });
    const tag = `${spec}-${alg}`;
    write(`req-${tag}.pem`, pemOf(csr, 'CERTIFICATE REQUEST'));
    const out = ok('req', '-in', `req-${tag}.pem`, '-verify', '-noout', '-text');
    expect(out).toMatch(/verify OK/);
    expect(out).toContain('DNS:app.example.com, IP Address:192.0.2.10');
    expect(out).toContain('Subject: C = US, O = Acme, CN = app.example.com');

    // An external CA run by OpenSSL.
    ok('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', `extca-${tag}.key`, '-out', `extca-${tag}.pem`,
      '-subj', '/C=US/O=External/CN=External CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    ok('x509', '-req', '-in', `req-${tag}.pem`, '-CA', `extca-${tag}.pem`, '-CAkey', `extca-${tag}.key`, '-CAcreateserial', '-days', '30',
      '-copy_extensions', 'copy', '-out', `signed-${tag}.pem`);
    const signed = readFileSync(join(dir, `signed-${tag}.pem`), 'utf8');
    const ca = readFileSync(join(dir, `extca-${tag}.pem`), 'utf8');
    const parsed = parseCertificate(signed);
    expect(parsed.subject).toBe('CN=app.example.com, O=Acme, C=US');
    expect(parsed.issuer).toBe('CN=External CA, O=External, C=US');
    expect(parsed.sans.dnsNames).toEqual(['app.example.com']);
    expect(publicKeysEqual(parsed.publicKey, key.publicJwk)).toBe(true);
    expect(verifyIssuedBy(signed, ca)).toBe(true);
    expect(verifyIssuedBy(ca, ca)).toBe(true);
    // A merge with another key is detectable.
    expect(publicKeysEqual(parsed.publicKey, softKey(spec).publicJwk)).toBe(false);
  });
});

describe('PKCS#12', () => {
  let chain: Chain;
  beforeAll(async () => {
    chain = await makeChain('RSA-2048', 'RS256');
    write('p12-leaf.pem', pem(chain.leaf));
    write('p12-chain.pem', pem(chain.intermediate) + pem(chain.root));
    write('p12-key.pem', chain.leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  });

  it('openssl pkcs12 opens the PFX createPfx writes (PBES2/AES-256-CBC, SHA-256 MAC)', () => {
    write('ours.pfx', createPfx({ certificates: [chain.leaf, chain.intermediate, chain.root], privateKeyPkcs8: chain.leafKey.pkcs8, password: 's3cret' }));
    const info = ok('pkcs12', '-in', 'ours.pfx', '-info', '-passin', 'pass:s3cret', '-nokeys');
    expect(info).toContain('MAC: sha256');
    expect(info).toContain('PBES2, PBKDF2, AES-256-CBC');
    expect(splitCertificates(info)).toEqual([chain.leaf, chain.intermediate, chain.root]);
    const nodes = ok('pkcs12', '-in', 'ours.pfx', '-passin', 'pass:s3cret', '-nodes');
    const key = createPrivateKey({ key: derOf(nodes, 'PRIVATE KEY'), format: 'der', type: 'pkcs8' });
    expect(key.export({ type: 'pkcs8', format: 'der' })).toEqual(chain.leafKey.pkcs8);
    // The leaf and its key are tied by the same localKeyId, as OpenSSL ties them.
    const keyIds = [...info.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1].trim());
    expect(keyIds.length).toBe(1);
    expect(nodes.match(/localKeyID: ([0-9A-F ]+)/g)?.length).toBe(2);
    expect(openssl('pkcs12', '-in', 'ours.pfx', '-info', '-passin', 'pass:wrong', '-nokeys').code).not.toBe(0);
    write('chainonly.pfx', createPfx({ certificates: [chain.leaf], password: 'x' }));
    expect(ok('pkcs12', '-in', 'chainonly.pfx', '-passin', 'pass:x', '-nodes')).not.toContain('PRIVATE KEY');
  });

  it.each([
    ['OpenSSL 3 defaults', []],
    ['3DES and a SHA-1 MAC', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
    ['AES-128 with a SHA-512 MAC', ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC', '-macalg', 'sha512']],
    ['an unencrypted certificate bag', ['-certpbe', 'NONE']],
  ])('readPfx opens what openssl pkcs12 -export writes: %s', (name, extra) => {
    const file = `theirs-${name.replace(/\W+/g, '-')}.pfx`;
    ok('pkcs12', '-export', '-inkey', 'p12-key.pem', '-in', 'p12-leaf.pem', '-certfile', 'p12-chain.pem', '-passout', 'pass:päss wörd', '-out', file, ...extra);
    const pfx = readFileSync(join(dir, file));
    const out = readPfx(pfx, 'päss wörd');
    expect(out.certificates).toEqual([chain.leaf, chain.intermediate, chain.root]);
    expect(out.privateKeyPkcs8).toEqual(chain.leafKey.pkcs8);
    expect(() => readPfx(pfx, 'wrong')).toThrow(new X509InputError(WRONG_PASSWORD));
  });

  it('explains that RC2 (openssl -legacy) files are not supported, typed', () => {
    ok('pkcs12', '-export', '-legacy', '-inkey', 'p12-key.pem', '-in', 'p12-leaf.pem', '-passout', 'pass:x', '-out', 'legacy.pfx');
    const pfx = readFileSync(join(dir, 'legacy.pfx'));
    expect(() => readPfx(pfx, 'x')).toThrow(/legacy RC2 encryption, which is not supported/);
    expect(() => readPfx(pfx, 'wrong')).toThrow(WRONG_PASSWORD);
  });
});

describe('TLS', () => {
  it.each([['P-256', 'ES256'], ['RSA-2048', 'PS256']] as const)('a node TLS server with the exported %s %s cert+key completes a handshake with a client trusting the root', async (spec, alg) => {
    const chain = await makeChain(spec, alg);
    const exported = readPfx(createPfx({ certificates: [chain.leaf, chain.intermediate], privateKeyPkcs8: chain.leafKey.pkcs8, password: 'tls' }), 'tls');
    const bundle = readPemBundle(
      exported.certificates.map(pem).join('') + pemOf(exported.privateKeyPkcs8!, 'PRIVATE KEY'),
      { requireKey: true },
    );
    const server = tls.createServer(
      { key: pemOf(bundle.privateKeyPkcs8!, 'PRIVATE KEY'), cert: bundle.certificates.map(pem).join('') },
      (socket) => socket.end('hello from coffer'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pem(chain.root) }, () => {
          if (!socket.authorized) reject(socket.authorizationError);
        });
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(reply).toBe('hello from coffer');
      // A client trusting another root refuses the same server.
      const other = await makeChain('P-256', 'ES256');
      await expect(
        new Promise((resolve, reject) => {
          const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pem(other.root) }, () => resolve(s.authorized));
          s.on('error', reject);
        }),
      ).rejects.toThrow(/unable to (get local issuer|verify)/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
