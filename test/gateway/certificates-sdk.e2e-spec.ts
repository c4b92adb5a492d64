import { ClientSecretCredential } from '@azure/identity';
import { CertificateClient } from '@azure/keyvault-certificates';
import { CryptographyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { execFileSync } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayStack, restErrorOf, startGatewayStack, TENANT } from './gateway-stack';

/** The unmodified CertificateClient: create (a long-running operation), read, list, delete; the results checked with node:crypto. */
describe('gateway: @azure/keyvault-certificates', () => {
  const vault = 'certs-demo';
  let g: GatewayStack;
  let certificates: CertificateClient;
  let credential: ClientSecretCredential;
  let caPem: string;
  let dir: string;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const file = (name: string) => join(dir, name);
  const pemOf = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-gw-certs-'));
    g = await startGatewayStack();
    await g.admin.vaults.create(vault, { retentionDays: 7 });
    const ca = await g.admin.issuers(vault).create('root', 'CN=Gateway Test Root', { kty: 'EC', crv: 'P-256' });
    caPem = `-----BEGIN CERTIFICATE-----\n${ca.cer.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const p = await g.admin.principals.create('certs-app', 'servicePrincipal');
    const secret = (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret!;
    for (const role of ['Key Vault Certificates Officer', 'Key Vault Crypto User']) {
      await g.admin.roleAssignments.create({ principalId: p.id, role, scope: `/vaults/${vault}` });
    }
    credential = new ClientSecretCredential(TENANT, p.id, secret, { authorityHost: g.authorityHost, disableInstanceDiscovery: true, ...g.sdkOptions });
    certificates = new CertificateClient(g.vaultUrl(vault), credential, g.sdkOptions);
  });
  afterAll(async () => {
    await g?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a certificate from an internal CA as a poller; the certificate verifies against the CA; its key signs', async () => {
    const poller = await certificates.beginCreateCertificate('web', {
      issuerName: 'root', subject: 'CN=web.example', subjectAlternativeNames: { dnsNames: ['web.example'] }, keyType: 'EC', keyCurveName: 'P-256', validityInMonths: 3,
    }, { intervalInMs: 50 });
    const cert = await poller.pollUntilDone();
    expect(cert.properties.id).toBe(`${g.vaultUrl(vault)}/certificates/web/${cert.properties.version}`);
    expect(cert.keyId).toBe(`${g.vaultUrl(vault)}/keys/web/${cert.properties.version}`);
    const x509 = new X509Certificate(Buffer.from(cert.cer!));
    expect(x509.subject).toBe('CN=web.example');
    expect(x509.subjectAltName).toBe('DNS:web.example');
    expect(x509.verify(new X509Certificate(caPem).publicKey)).toBe(true);
    expect((await g.admin.certificates(vault).get('web')).cer).toBe(Buffer.from(cert.cer!).toString('base64'));

    const digest = createHash('sha256').update('signed by the certificate key').digest();
    const signed = await new CryptographyClient(cert.keyId!, credential, g.sdkOptions).sign('ES256', digest);
    expect(verify('sha256', Buffer.from('signed by the certificate key'), { key: x509.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);

    const policy = await certificates.getCertificatePolicy('web');
    expect(policy.issuerName).toBe('root');
    expect(policy.subject).toBe('CN=web.example');
    const withPolicy = await certificates.getCertificate('web');
    expect(withPolicy.policy!.keyCurveName).toBe('P-256');
    expect((await certificates.getCertificateVersion('web', cert.properties.version!)).properties.x509Thumbprint).toEqual(cert.properties.x509Thumbprint);
  });

  it('self-signed with an exportable PEM key: the secret holds key and certificate; list, delete (poller), purge', async () => {
    const cert = await (await certificates.beginCreateCertificate('self', {
      issuerName: 'Self', subject: 'CN=self.example', contentType: 'application/x-pem-file', exportable: true, keyType: 'EC', keyCurveName: 'P-256',
    }, { intervalInMs: 50 })).pollUntilDone();
    const pem = (await new SecretClient(g.vaultUrl(vault), credential, g.sdkOptions).getSecret('self')).value!;
    expect(pem).toContain('BEGIN PRIVATE KEY');
    expect(new X509Certificate(Buffer.from(cert.cer!)).subject).toBe('CN=self.example');
    const names: string[] = [];
    for await (const c of certificates.listPropertiesOfCertificates()) names.push(c.name!);
    expect(names).toEqual(expect.arrayContaining(['web', 'self']));
    const deleted = await (await certificates.beginDeleteCertificate('self', { intervalInMs: 50 })).pollUntilDone();
    expect(deleted.recoveryId).toBe(`${g.vaultUrl(vault)}/deletedcertificates/self`);
    expect((await restErrorOf(certificates.getCertificate('self'))).statusCode).toBe(404);
    await certificates.purgeDeletedCertificate('self');
    expect((await restErrorOf(certificates.getDeletedCertificate('self'))).statusCode).toBe(404);
  });

  it('imports PEM and PFX (OpenSSL-made): the same certificate comes back, its key went into the HSM and signs', async () => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'imp.key', '-out', 'imp.pem', '-subj', '/CN=imported.example', '-days', '30');
    openssl('pkcs12', '-export', '-inkey', 'imp.key', '-in', 'imp.pem', '-passout', 'pass:pfx-password', '-out', 'imp.pfx');
    const certPem = readFileSync(file('imp.pem'), 'utf8');
    const der = new X509Certificate(certPem).raw;

    const fromPem = await certificates.importCertificate('imported-pem', Buffer.from(certPem + readFileSync(file('imp.key'), 'utf8')), {
      policy: { contentType: 'application/x-pem-file', issuerName: 'Unknown', subject: 'CN=imported.example' },
    });
    expect(Buffer.from(fromPem.cer!).equals(der)).toBe(true);
    expect(fromPem.policy!.contentType).toBe('application/x-pem-file');
    const fromPfx = await certificates.importCertificate('imported-pfx', readFileSync(file('imp.pfx')), { password: 'pfx-password', tags: { source: 'pfx' } });
    expect(Buffer.from(fromPfx.cer!).equals(der)).toBe(true);
    expect(fromPfx.properties.tags).toEqual({ source: 'pfx' });
    expect((await g.admin.certificates(vault).get('imported-pfx')).cer).toBe(der.toString('base64'));
    expect((await restErrorOf(certificates.importCertificate('bad-pfx', readFileSync(file('imp.pfx')), { password: 'wrong' }))).statusCode).toBe(400);

    const digest = createHash('sha256').update('imported key').digest();
    const signed = await new CryptographyClient(fromPfx.keyId!, credential, g.sdkOptions).sign('ES256', digest);
    expect(verify('sha256', Buffer.from('imported key'), { key: new X509Certificate(certPem).publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);
  });

  it('external CA: create with issuer Unknown gives a CSR in the pending operation; OpenSSL signs it; merge completes the poller', async () => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ext-ca.key', '-out', 'ext-ca.pem', '-subj', '/CN=External Test CA', '-days', '30');
    const poller = await certificates.beginCreateCertificate('external', {
      issuerName: 'Unknown', subject: 'CN=external.example', subjectAlternativeNames: { dnsNames: ['external.example'] }, keyType: 'EC', keyCurveName: 'P-256',
    }, { intervalInMs: 50 });
    const operation = (await certificates.getCertificateOperation('external', { intervalInMs: 50 })).getOperationState().certificateOperation!;
    expect(operation.status).toBe('inProgress');
    expect(operation.issuerName).toBe('Unknown');
    writeFileSync(file('ext.csr.der'), operation.csr!);
    expect(openssl('req', '-inform', 'DER', '-in', 'ext.csr.der', '-noout', '-verify', '-subject')).toContain('CN = external.example');
    openssl('x509', '-req', '-inform', 'DER', '-in', 'ext.csr.der', '-CA', 'ext-ca.pem', '-CAkey', 'ext-ca.key', '-CAcreateserial', '-days', '10', '-outform', 'DER', '-out', 'ext.der');
    const leaf = readFileSync(file('ext.der'));
    const caDer = new X509Certificate(readFileSync(file('ext-ca.pem'))).raw;

    const merged = await certificates.mergeCertificate('external', [leaf, caDer]);
    expect(Buffer.from(merged.cer!).equals(leaf)).toBe(true);
    writeFileSync(file('ext-merged.pem'), pemOf(merged.cer!));
    expect(openssl('verify', '-CAfile', 'ext-ca.pem', 'ext-merged.pem').trim()).toBe('ext-merged.pem: OK');
    const done = await poller.pollUntilDone();
    expect(done.properties.version).toBe(merged.properties.version);
    const digest = createHash('sha256').update('merged key').digest();
    const signed = await new CryptographyClient(merged.keyId!, credential, g.sdkOptions).sign('ES256', digest);
    expect(verify('sha256', Buffer.from('merged key'), { key: new X509Certificate(leaf).publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);
  });

  it('a pending operation is cancelled through the poller, or deleted; neither leaves a certificate', async () => {
    const unknown = { issuerName: 'Unknown', subject: 'CN=never.example', keyType: 'EC' as const, keyCurveName: 'P-256' as const };
    const cancelled = await certificates.beginCreateCertificate('cancelled', unknown, { intervalInMs: 50 });
    await cancelled.cancelOperation();
    expect((await restErrorOf(certificates.getCertificate('cancelled'))).statusCode).toBe(404);
    await expect(g.admin.certificates(vault).getOperation('cancelled')).rejects.toMatchObject({ innerCode: 'PendingOperationNotFound' });

    await certificates.beginCreateCertificate('dropped', unknown, { intervalInMs: 50 });
    const dropped = await certificates.deleteCertificateOperation('dropped');
    expect(dropped.status).toBe('cancelled');
    expect((await restErrorOf(certificates.deleteCertificateOperation('dropped'))).statusCode).toBe(404);
    expect((await restErrorOf(certificates.getCertificate('dropped'))).statusCode).toBe(404);
  });

  it('policy and properties updates, backup and restore, deleted certificates listed', async () => {
    const policy = await certificates.getCertificatePolicy('web');
    await certificates.updateCertificatePolicy('web', { ...policy, validityInMonths: 6, subject: 'CN=web2.example' });
    const updatedPolicy = await certificates.getCertificatePolicy('web');
    expect({ months: updatedPolicy.validityInMonths, subject: updatedPolicy.subject }).toEqual({ months: 6, subject: 'CN=web2.example' });
    expect((await g.admin.certificates(vault).getPolicy('web')).x509_props.validity_months).toBe(6);
    const next = await (await certificates.beginCreateCertificate('web', updatedPolicy, { intervalInMs: 50 })).pollUntilDone();
    expect(new X509Certificate(Buffer.from(next.cer!)).subject).toBe('CN=web2.example');

    const props = await certificates.updateCertificateProperties('web', next.properties.version!, { enabled: false, tags: { stage: 'retired' } });
    expect({ enabled: props.properties.enabled, tags: props.properties.tags }).toEqual({ enabled: false, tags: { stage: 'retired' } });
    expect((await g.admin.certificates(vault).get('web', next.properties.version)).attributes.enabled).toBe(false);

    const versions: string[] = [];
    for await (const v of certificates.listPropertiesOfCertificateVersions('web')) versions.push(v.version!);
    expect(versions.sort()).toEqual((await g.admin.certificates(vault).listVersionsPage('web')).value.map((v) => v.version).sort());
    expect(versions).toHaveLength(2);

    await (await certificates.beginDeleteCertificate('imported-pfx', { intervalInMs: 50 })).pollUntilDone();
    const gone = await certificates.getDeletedCertificate('imported-pfx');
    expect(gone.recoveryId).toBe(`${g.vaultUrl(vault)}/deletedcertificates/imported-pfx`);
    const recovered = await (await certificates.beginRecoverDeletedCertificate('imported-pfx', { intervalInMs: 50 })).pollUntilDone();
    expect(recovered.properties.tags).toEqual({ source: 'pfx' });
    expect((await certificates.getCertificate('imported-pfx')).name).toBe('imported-pfx');

    const backup = await certificates.backupCertificate('imported-pem');
    await (await certificates.beginDeleteCertificate('imported-pem', { intervalInMs: 50 })).pollUntilDone();
    const deleted: string[] = [];
    for await (const d of certificates.listDeletedCertificates()) deleted.push(d.name!);
    expect(deleted).toContain('imported-pem');
    expect((await g.admin.certificates(vault).listDeletedPage()).value.map((d) => d.name)).toContain('imported-pem');
    await certificates.purgeDeletedCertificate('imported-pem');
    const restored = await certificates.restoreCertificateBackup(backup!);
    expect(restored.name).toBe('imported-pem');
    expect(Buffer.from(restored.cer!).equals(new X509Certificate(readFileSync(file('imp.pem'))).raw)).toBe(true);
  });

  it('issuers are the vault CAs (provider Coffer); contacts set, get and delete', async () => {
    const created = await certificates.createIssuer('made-by-sdk', 'Coffer');
    expect(created.id).toBe(`${g.vaultUrl(vault)}/certificates/issuers/made-by-sdk`);
    expect(created.provider).toBe('Coffer');
    expect((await g.admin.issuers(vault).get('made-by-sdk')).subject).toBe('CN=made-by-sdk');
    expect((await certificates.createIssuer('made-by-sdk', 'Coffer')).id).toBe(created.id);
    expect((await certificates.getIssuer('root')).provider).toBe('Coffer');
    const ids: string[] = [];
    for await (const i of certificates.listPropertiesOfIssuers()) ids.push(`${i.provider} ${i.id}`);
    expect(ids.sort()).toEqual(['made-by-sdk', 'root'].map((n) => `Coffer ${g.vaultUrl(vault)}/certificates/issuers/${n}`));
    expect((await certificates.updateIssuer('root', { enabled: true })).provider).toBe('Coffer');
    expect(await restErrorOf(certificates.createIssuer('digicert', 'DigiCert'))).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect(await restErrorOf(certificates.deleteIssuer('root'))).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect((await restErrorOf(certificates.getIssuer('no-such-issuer'))).statusCode).toBe(404);

    const contacts = [{ email: 'pki@example.com', name: 'PKI team', phone: '+1 555 0100' }, { email: 'ops@example.com' }];
    expect(await certificates.setContacts(contacts)).toEqual(contacts.map((c) => ({ ...c })));
    expect(await certificates.getContacts()).toEqual(contacts);
    expect((await g.admin.certificates(vault).getContacts()).contacts.map((c) => c.email)).toEqual(['pki@example.com', 'ops@example.com']);
    // The SDK reads the reply's raw body as if it were deserialized (contactList), so it always returns []; the vault's reply lists the removed contacts.
    await certificates.deleteContacts();
    expect((await g.admin.certificates(vault).getContacts()).contacts).toEqual([]);
    expect((await restErrorOf(certificates.getContacts())).statusCode).toBe(404);
  });
});
