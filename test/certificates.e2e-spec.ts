import { CofferClient, CofferRequestError } from '@coffer/client';
import { readPfx } from '@coffer/x509';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

const errorOf = async (p: Promise<unknown>): Promise<CofferRequestError> => {
  try {
    await p;
  } catch (e) {
    return e as CofferRequestError;
  }
  throw new Error('expected the request to fail');
};
const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

describe('certificates end to end (real SoftHSM, nats-server, SQLite), checked with OpenSSL', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  let dir: string;
  const vault = 'certs-e2e';
  const certs = () => admin.certificates(vault);
  const issuers = () => admin.issuers(vault);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-certs-'));
    stack = await startInProcessStack();
    admin = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 60_000, credentials: adminCredentials(stack.home) });
    await admin.vaults.create(vault, { retentionDays: 7 });
    await issuers().create('root', 'CN=Coffer Test Root, O=Coffer', { kty: 'EC', crv: 'P-256' });
  });
  afterAll(async () => {
    await admin?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('issues from an internal CA: subject, SANs, EKU, key usage and validity as OpenSSL reads them; openssl verify passes', async () => {
    const { operation, certificate } = await certs().create('web', {
      policy: {
        key_props: { kty: 'RSA', key_size: 2048 },
        x509_props: {
          subject: 'CN=www.example.com, O=Acme', validity_months: 3, sans: { dns_names: ['www.example.com', 'api.example.com'], ip_addresses: ['10.0.0.1'] },
          ekus: ['1.3.6.1.5.5.7.3.1'], key_usage: ['digitalSignature', 'keyEncipherment'],
        },
        issuer: { name: 'root' },
      },
    });
    expect(operation.status).toBe('completed');
    expect(certificate!.kid).toBe(`coffer://${vault}/keys/web/${certificate!.version}`);
    expect(certificate!.sid).toBe(`coffer://${vault}/secrets/web/${certificate!.version}`);
    const text = openssl('x509', '-in', file('web.pem', pem(certificate!.cer)), '-noout', '-text');
    expect(text).toMatch(/Subject: O ?= ?Acme, CN ?= ?www\.example\.com/);
    expect(text).toMatch(/Issuer: O ?= ?Coffer, CN ?= ?Coffer Test Root/);
    expect(text).toContain('DNS:www.example.com, DNS:api.example.com, IP Address:10.0.0.1');
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toMatch(/Digital Signature, Key Encipherment/);
    const x = new X509Certificate(Buffer.from(certificate!.cer, 'base64'));
    const months = (new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()) / 86_400_000;
    expect(months).toBeGreaterThan(88);
    expect(months).toBeLessThan(93);
    // Serial: 16 random bytes (at least 64 bits of randomness).
    expect(certificate!.serialNumber.length).toBeGreaterThanOrEqual(30);
    const ca = await issuers().get('root');
    expect(openssl('verify', '-CAfile', file('root.pem', pem(ca.cer)), join(dir, 'web.pem'))).toContain('OK');
  });

  it('self-signed: the certificate key is the Coffer key (same JWK); the secret of a non-exportable key holds no private key', async () => {
    const { certificate } = await certs().create('self-ec', { policy: { key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=self.example', validity_months: 12 } } });
    const key = await admin.keys(vault).get('self-ec');
    const fromCert = createPublicKey(new X509Certificate(Buffer.from(certificate!.cer, 'base64')).publicKey.export({ format: 'pem', type: 'spki' })).export({ format: 'jwk' });
    expect({ x: key.key.x, y: key.key.y, crv: key.key.crv }).toEqual({ x: fromCert.x, y: fromCert.y, crv: fromCert.crv });
    const secret = await admin.secrets(vault).get('self-ec');
    expect(secret.contentType).toBe('application/x-pkcs12');
    const pfx = Buffer.from(secret.value, 'base64');
    expect(readPfx(pfx, '').privateKeyPkcs8).toBeUndefined();
    const out = openssl('pkcs12', '-in', file('self.pfx', pfx), '-passin', 'pass:', '-nokeys');
    expect(out).toContain('BEGIN CERTIFICATE');
    // The key of a certificate is managed: key commands refuse it.
    expect((await errorOf(admin.keys(vault).delete('self-ec'))).code).toBe('Forbidden');
  });

  it('exportable PEM certificate: the secret has the key, and a TLS handshake with it succeeds against a client trusting the CA', async () => {
    await certs().create('tls', {
      policy: {
        key_props: { kty: 'EC', crv: 'P-256', exportable: true }, secret_props: { contentType: 'application/x-pem-file' },
        x509_props: { subject: 'CN=localhost', sans: { dns_names: ['localhost'] }, validity_months: 1 }, issuer: { name: 'root' },
      },
    });
    const bundle = (await admin.secrets(vault).get('tls')).value;
    expect(bundle).toContain('BEGIN PRIVATE KEY');
    const ca = pem((await issuers().get('root')).cer);
    const server = tls.createServer({ key: bundle, cert: bundle.slice(bundle.indexOf('-----BEGIN CERTIFICATE')) }, (s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const got = await new Promise<string>((resolve, reject) => {
      const c = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => undefined);
      let data = '';
      c.on('data', (d) => (data += d));
      c.on('end', () => resolve(data));
      c.on('error', reject);
    });
    server.close();
    expect(got).toBe('hello');
  });

  it('issuer Unknown: pending CSR, signed by an OpenSSL CA, merged; a mismatched chain is refused', async () => {
    const op = (await certs().create('ext', { policy: { x509_props: { subject: 'CN=ext.example', validity_months: 12 }, issuer: { name: 'Unknown' }, lifetime_actions: [] } })).operation;
    expect(op.status).toBe('inProgress');
    expect((await certs().getOperation('ext')).csr).toBe(op.csr);
    file('ext.csr', `-----BEGIN CERTIFICATE REQUEST-----\n${op.csr.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`);
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'extca.key', '-out', 'extca.pem', '-subj', '/CN=External CA', '-days', '30');
    openssl('x509', '-req', '-in', 'ext.csr', '-CA', 'extca.pem', '-CAkey', 'extca.key', '-CAcreateserial', '-out', 'ext.pem', '-days', '30');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/CN=Other', '-days', '30');
    const mismatch = await errorOf(certs().merge('ext', [readFileSync(join(dir, 'other.pem'), 'utf8')]));
    expect(mismatch.code).toBe('BadParameter');
    const merged = await certs().merge('ext', [readFileSync(join(dir, 'ext.pem'), 'utf8') + readFileSync(join(dir, 'extca.pem'), 'utf8')]);
    expect(merged.operation.status).toBe('completed');
    expect(merged.certificate!.chain).toHaveLength(1);
    expect(openssl('verify', '-CAfile', 'extca.pem', file('merged.pem', pem(merged.certificate!.cer)))).toContain('OK');
  });

  it('sign-csr, revoke, and a CRL signed by the issuer that openssl crl -verify accepts and that lists the serial', async () => {
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'c.key', '-out', 'c.csr', '-subj', '/CN=client.example');
    const signed = await issuers().signCsr('root', readFileSync(join(dir, 'c.csr'), 'utf8'), { validityMonths: 2 });
    expect(openssl('verify', '-CAfile', file('root2.pem', pem(signed.chain[0])), file('c.pem', pem(signed.cer)))).toContain('OK');
    await issuers().revoke('root', signed.serialNumber, 'keyCompromise');
    const crl = await issuers().crl('root');
    const crlPem = `-----BEGIN X509 CRL-----\n${crl.crl.match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`;
    file('root.crl', crlPem);
    const out = execFileSync('openssl', ['crl', '-in', 'root.crl', '-CAfile', 'root2.pem', '-verify', '-noout', '-text'], { cwd: dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(out.toUpperCase()).toContain(signed.serialNumber.toUpperCase());
    expect(() => openssl('verify', '-crl_check', '-CAfile', 'root2.pem', '-CRLfile', 'root.crl', 'c.pem')).toThrow(/revoked/);
  });

  it('refuses bad input with typed errors and makes nothing', async () => {
    const bad = async (policy: object) => errorOf(certs().create('bad', { policy: policy as never }));
    expect((await bad({ x509_props: { subject: 'XX=nope', validity_months: 12 } })).code).toBe('BadParameter');
    expect((await bad({ x509_props: { subject: 'CN=a', validity_months: 12, sans: { fax_numbers: ['1'] } } })).code).toBe('BadParameter');
    expect((await bad({ x509_props: { subject: 'CN=a', validity_months: 0 } })).code).toBe('BadParameter');
    expect((await bad({ x509_props: { subject: 'CN=a', validity_months: 12 }, issuer: { name: 'no-such-ca' } })).code).toBe('BadParameter');
    expect((await errorOf(certs().get('bad'))).code).toBe('CertificateNotFound');
  });

  it('lists, versions, delete / recover / purge take the key and secret along', async () => {
    const second = await certs().create('web', { policy: { x509_props: { subject: 'CN=www.example.com', validity_months: 1 }, issuer: { name: 'root' } } });
    const versions = [];
    for await (const v of certs().listVersions('web')) versions.push(v);
    expect(versions).toHaveLength(2);
    const names = [];
    for await (const c of certs().list()) names.push(c.name);
    expect(names).toEqual(expect.arrayContaining(['web', 'self-ec', 'tls', 'ext']));
    expect((await certs().download('web', 'PEM')).value).toContain('BEGIN CERTIFICATE');
    await certs().delete('web');
    expect((await errorOf(admin.keys(vault).get('web'))).code).toBe('KeyNotFound');
    await certs().recover('web');
    expect((await admin.keys(vault).get('web')).version).toBe(second.certificate!.version);
    await certs().delete('web');
    await certs().purge('web');
    expect((await errorOf(admin.secrets(vault).get('web'))).code).toBe('SecretNotFound');
    expect((await errorOf(certs().getDeleted('web'))).code).toBe('CertificateNotFound');
  });

  describe('import', () => {
    /** A self-signed OpenSSL certificate for `cn` with its key (EC P-256 or RSA 2048), as files in `dir`. */
    const opensslCertificate = (base: string, key: 'ec' | 'rsa') => {
      const newkey = key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
      openssl('req', '-x509', ...newkey, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.pem`, '-subj', `/CN=${base}.example`, '-days', '30',
        '-addext', `subjectAltName=DNS:${base}.example`);
    };

    it('a PFX with its password: the key goes into the HSM, matches the certificate, and signs what the certificate verifies', async () => {
      opensslCertificate('imp-pfx', 'rsa');
      openssl('pkcs12', '-export', '-inkey', 'imp-pfx.key', '-in', 'imp-pfx.pem', '-out', 'imp-pfx.pfx', '-passout', 'pass:s3cret');
      const pfx = readFileSync(join(dir, 'imp-pfx.pfx')).toString('base64');
      expect((await errorOf(certs().import('imp-pfx', pfx, { password: 'wrong' }))).code).toBe('BadParameter');
      expect((await errorOf(certs().get('imp-pfx'))).code).toBe('CertificateNotFound');

      const bundle = await certs().import('imp-pfx', pfx, { password: 's3cret' });
      expect(bundle.policy).toMatchObject({ issuer: { name: 'Unknown' }, key_props: { kty: 'RSA', key_size: 2048, exportable: false }, x509_props: { sans: { dns_names: ['imp-pfx.example'] } } });
      const cert = new X509Certificate(Buffer.from(bundle.cer, 'base64'));
      const key = await admin.keys(vault).get('imp-pfx');
      const fromCert = cert.publicKey.export({ format: 'jwk' });
      expect({ n: key.key.n, e: key.key.e }).toEqual({ n: fromCert.n, e: fromCert.e });
      const digest = createHash('sha256').update('imported').digest();
      const signature = await admin.keys(vault).sign('imp-pfx', 'RS256', digest.toString('base64url'));
      expect(verify('sha256', Buffer.from('imported'), cert.publicKey, Buffer.from(signature.value, 'base64url'))).toBe(true);
      // Not exportable: the secret holds the certificate only.
      expect(readPfx(Buffer.from((await admin.secrets(vault).get('imp-pfx')).value, 'base64'), '').privateKeyPkcs8).toBeUndefined();
    });

    it('PEM with certificate and PKCS#8 key, chain kept; exportable on request; PEM without its key is refused', async () => {
      opensslCertificate('imp-pem', 'ec');
      const leafAndKey = readFileSync(join(dir, 'imp-pem.pem'), 'utf8') + readFileSync(join(dir, 'imp-pem.key'), 'utf8');
      const caPem = pem((await issuers().get('root')).cer);
      expect((await errorOf(certs().import('imp-nokey', readFileSync(join(dir, 'imp-pem.pem'), 'utf8')))).code).toBe('BadParameter');
      const bundle = await certs().import('imp-pem', leafAndKey + caPem, { policy: { key_props: { kty: 'EC', exportable: true } } });
      expect(bundle.chain).toHaveLength(1);
      expect(bundle.policy.secret_props.contentType).toBe('application/x-pem-file');
      const key = await admin.keys(vault).get('imp-pem');
      const fromCert = new X509Certificate(Buffer.from(bundle.cer, 'base64')).publicKey.export({ format: 'jwk' });
      expect({ x: key.key.x, y: key.key.y }).toEqual({ x: fromCert.x, y: fromCert.y });
      const secret = (await admin.secrets(vault).get('imp-pem')).value;
      expect(secret).toContain('BEGIN PRIVATE KEY');
      expect(secret.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect((await errorOf(certs().import('imp-pem2', leafAndKey, { policy: { key_props: { kty: 'RSA' } } }))).code).toBe('BadParameter');
      // The imported key was made exportable in the HSM: a renewal by an internal CA that reuses it can export it again.
      const renewed = (await certs().create('imp-pem', {
        policy: { key_props: { kty: 'EC', crv: 'P-256', exportable: true, reuse_key: true }, issuer: { name: 'root' }, lifetime_actions: [] },
      })).certificate!;
      expect(renewed.issuer).toMatch(/Coffer Test Root/);
      const renewedSecret = (await admin.secrets(vault).get('imp-pem')).value;
      expect(createPublicKey(renewedSecret).export({ format: 'jwk' }).x).toBe(fromCert.x);
    });
  });

  it('backup → purge → restore brings back every version with its key and secret; the key still signs', async () => {
    await certs().create('bk', { policy: { key_props: { kty: 'EC', crv: 'P-256' }, x509_props: { subject: 'CN=bk.example', validity_months: 2 }, issuer: { name: 'root' } } });
    const second = (await certs().create('bk')).certificate!;
    const blob = await certs().backup('bk');
    expect(blob).not.toContain('bk.example');
    const secretBefore = (await admin.secrets(vault).get('bk')).value;
    await certs().delete('bk');
    await certs().purge('bk');
    expect((await errorOf(admin.keys(vault).get('bk'))).code).toBe('KeyNotFound');
    const restored = await certs().restore(blob);
    expect(restored.version).toBe(second.version);
    expect(restored.cer).toBe(second.cer);
    const versions = [];
    for await (const v of certs().listVersions('bk')) versions.push(v.version);
    expect(versions).toHaveLength(2);
    expect((await admin.secrets(vault).get('bk')).value).toBe(secretBefore);
    const digest = createHash('sha256').update('restored').digest();
    const sig = await admin.keys(vault).sign('bk', 'ES256', digest.toString('base64url'));
    const publicKey = new X509Certificate(Buffer.from(restored.cer, 'base64')).publicKey;
    expect(verify('sha256', Buffer.from('restored'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig.value, 'base64url'))).toBe(true);
    expect((await errorOf(certs().restore(blob))).code).toBe('Conflict');
    expect((await errorOf(certs().restore('coffer-backup-v1.bm9wZQ'))).code).toBe('BadParameter');
  });

  it('reuse_key: a new version keeps the HSM key (same public key); without it the key changes; a different key type is refused', async () => {
    const policy = { key_props: { kty: 'EC' as const, crv: 'P-256' as const, reuse_key: true }, x509_props: { subject: 'CN=reuse.example', validity_months: 1 }, issuer: { name: 'root' } };
    const first = (await certs().create('reuse', { policy })).certificate!;
    const second = (await certs().create('reuse')).certificate!;
    const spki = (b: { cer: string }) => new X509Certificate(Buffer.from(b.cer, 'base64')).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(second.version).not.toBe(first.version);
    expect(spki(second)).toBe(spki(first));
    expect((await admin.keys(vault).get('reuse', second.version)).key.x).toBe((await admin.keys(vault).get('reuse', first.version)).key.x);
    const changed = await errorOf(certs().create('reuse', { policy: { key_props: { kty: 'RSA', reuse_key: true } } }));
    expect(changed.code).toBe('BadParameter');
    expect(changed.message).toMatch(/reuse_key/);
    const third = (await certs().create('reuse', { policy: { key_props: { kty: 'EC', crv: 'P-256', reuse_key: false } } })).certificate!;
    expect(spki(third)).not.toBe(spki(first));
    // Purge destroys the shared key once.
    await certs().delete('reuse');
    expect((await certs().purge('reuse')).purged).toBeDefined();
  });

  it('RBAC: a Certificate User reads certificates and gets the secret but cannot create; only a Certificates Officer creates and issues', async () => {
    const principal = async (name: string, role: string): Promise<CofferClient> => {
      const p = await admin.principals.create(name, 'servicePrincipal');
      const { clientSecret } = await admin.principals.addCredential(p.id, { kind: 'secret' });
      await admin.roleAssignments.create({ principalId: p.id, role, scope: `/vaults/${vault}` });
      return CofferClient.connect({ url: stack.nats.url, timeoutMs: 60_000, credentials: { clientId: p.id, clientSecret: clientSecret! } });
    };
    const user = await principal('cert-user', 'Key Vault Certificate User');
    const officer = await principal('cert-officer', 'Key Vault Certificates Officer');
    const reader = await principal('cert-reader', 'Key Vault Reader');
    try {
      const policy = { x509_props: { subject: 'CN=rbac.example', validity_months: 1 }, issuer: { name: 'root' } };
      expect((await officer.certificates(vault).create('rbac', { policy })).operation.status).toBe('completed');
      expect((await officer.issuers(vault).create('officer-ca', 'CN=Officer CA')).name).toBe('officer-ca');
      expect((await user.certificates(vault).get('rbac')).name).toBe('rbac');
      expect((await user.certificates(vault).download('rbac', 'PEM')).value).toContain('BEGIN CERTIFICATE');
      expect((await user.secrets(vault).get('rbac')).contentType).toBe('application/x-pkcs12');
      for (const denied of [
        user.certificates(vault).create('rbac2', { policy }), user.issuers(vault).create('user-ca', 'CN=User CA'), user.certificates(vault).delete('rbac'),
        reader.certificates(vault).create('rbac3', { policy }), reader.secrets(vault).get('rbac'),
      ]) expect((await errorOf(denied)).code).toBe('Forbidden');
      expect((await reader.certificates(vault).get('rbac')).name).toBe('rbac');
    } finally {
      await Promise.all([user.close(), officer.close(), reader.close()]);
    }
  });
});
