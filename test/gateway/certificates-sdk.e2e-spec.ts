import { ClientSecretCredential } from '@azure/identity';
import { CertificateClient } from '@azure/keyvault-certificates';
import { CryptographyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { GatewayStack, restErrorOf, startGatewayStack, TENANT } from './gateway-stack';

/** The unmodified CertificateClient: create (a long-running operation), read, list, delete; the results checked with node:crypto. */
describe('gateway: @azure/keyvault-certificates', () => {
  const vault = 'certs-demo';
  let g: GatewayStack;
  let certificates: CertificateClient;
  let credential: ClientSecretCredential;
  let caPem: string;

  beforeAll(async () => {
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
  afterAll(async () => g?.stop());

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
});
