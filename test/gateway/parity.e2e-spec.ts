import { ClientSecretCredential } from '@azure/identity';
import { CertificateClient } from '@azure/keyvault-certificates';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { CofferClient } from '@coffer/client';
import { AuditRecord } from '@coffer/contracts';
import { until } from '@coffer/testing';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { errorOf } from '../error-of';
import { GatewayStack, restErrorOf, startGatewayStack, TENANT } from './gateway-stack';

/** What an audit record says about a request, without its time and id (which differ between two requests). */
const gist = (r: AuditRecord) => ({ principal: r.principal, action: r.action, subject: r.subject, objectId: r.objectId, version: r.version, outcome: r.outcome, errorCode: r.errorCode });

/**
 * The HTTP path (unmodified Azure SDKs through the gateway) and the NATS path (Coffer's client) are
 * one system: they see the same objects, get the same RBAC decisions with the same reasons, and
 * leave the same audit records, found by the request ids each path reports.
 */
describe('gateway: the HTTP path and the NATS path are the same vault', () => {
  const vault = 'parity';
  let g: GatewayStack;
  const principals: Record<'officer' | 'reader', { id: string; secret: string; nats: CofferClient; credential: ClientSecretCredential }> = {} as never;
  /** The x-ms-request-id of an SDK call: the requestId of its audit record. */
  const httpIds: string[] = [];
  const tracked = { onResponse: (r: { headers: { get(name: string): string | undefined } }) => void httpIds.push(r.headers.get('x-ms-request-id')!) };
  const lastHttpId = () => httpIds[httpIds.length - 1];

  const auditOf = (principal: string, requestId: string) => until(`the audit record of ${requestId}`, async () => {
    for await (const r of g.admin.audit.query({ principal })) if (r.requestId === requestId) return r;
    return undefined;
  });

  beforeAll(async () => {
    g = await startGatewayStack();
    await g.admin.vaults.create(vault, { retentionDays: 7 });
    await g.admin.issuers(vault).create('root', 'CN=Parity Root', { kty: 'EC', crv: 'P-256' });
    const roles = { officer: ['Key Vault Secrets Officer', 'Key Vault Crypto Officer', 'Key Vault Certificates Officer'], reader: ['Key Vault Secrets User'] };
    for (const who of ['officer', 'reader'] as const) {
      const p = await g.admin.principals.create(`parity-${who}`, 'servicePrincipal');
      const secret = (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret!;
      for (const role of roles[who]) await g.admin.roleAssignments.create({ principalId: p.id, role, scope: `/vaults/${vault}` });
      principals[who] = {
        id: p.id, secret,
        nats: await CofferClient.connect({ url: g.stack.nats.url, credentials: { clientId: p.id, clientSecret: secret } }),
        credential: new ClientSecretCredential(TENANT, p.id, secret, { authorityHost: g.authorityHost, disableInstanceDiscovery: true, ...g.sdkOptions }),
      };
    }
  });
  afterAll(async () => {
    for (const p of Object.values(principals)) await p.nats.close();
    await g?.stop();
  });

  it('the same objects: written on one path, read on the other, listed alike', async () => {
    const { nats, credential } = principals.officer;
    const secrets = new SecretClient(g.vaultUrl(vault), credential, g.sdkOptions);
    const keys = new KeyClient(g.vaultUrl(vault), credential, g.sdkOptions);
    const certificates = new CertificateClient(g.vaultUrl(vault), credential, g.sdkOptions);

    const written = await secrets.setSecret('shared', 'over https');
    const read = await nats.secrets(vault).get('shared');
    expect({ value: read.value, version: read.version }).toEqual({ value: 'over https', version: written.properties.version });
    const natsVersion = await nats.secrets(vault).set('shared', 'over nats');
    expect((await secrets.getSecret('shared')).properties.version).toBe(natsVersion.version);
    expect((await secrets.getSecret('shared')).value).toBe('over nats');

    const key = await nats.keys(vault).create('shared-key', 'EC', { curve: 'P-256' });
    const viaHttp = await keys.getKey('shared-key');
    expect({ version: viaHttp.properties.version, x: Buffer.from(viaHttp.key!.x!).toString('base64url') }).toEqual({ version: key.version, x: key.key.x });
    const digest = createHash('sha256').update('both paths').digest();
    const signed = await new CryptographyClient(viaHttp, credential, g.sdkOptions).sign('ES256', digest);
    expect((await nats.keys(vault).verify('shared-key', 'ES256', digest.toString('base64url'), Buffer.from(signed.result).toString('base64url'))).value).toBe(true);

    const cert = await (await certificates.beginCreateCertificate('shared-cert', { issuerName: 'root', subject: 'CN=parity.example' }, { intervalInMs: 50 })).pollUntilDone();
    const natsCert = await nats.certificates(vault).get('shared-cert');
    expect({ version: natsCert.version, cer: natsCert.cer }).toEqual({ version: cert.properties.version, cer: Buffer.from(cert.cer!).toString('base64') });
    expect(new X509Certificate(Buffer.from(cert.cer!)).subject).toBe('CN=parity.example');

    const httpNames = async (it: AsyncIterable<{ name?: string }>) => { const out: string[] = []; for await (const x of it) out.push(x.name!); return out.sort(); };
    const natsNames = async (it: AsyncIterable<{ name: string }>) => { const out: string[] = []; for await (const x of it) out.push(x.name); return out.sort(); };
    expect(await httpNames(secrets.listPropertiesOfSecrets())).toEqual(await natsNames(nats.secrets(vault).list()));
    expect(await httpNames(keys.listPropertiesOfKeys())).toEqual(await natsNames(nats.keys(vault).list()));
    expect(await httpNames(certificates.listPropertiesOfCertificates())).toEqual(await natsNames(nats.certificates(vault).list()));
  });

  it('the same RBAC decisions with the same reasons, and the same audit records, for the low-privilege reader', async () => {
    const { id, nats, credential } = principals.reader;
    const secrets = new SecretClient(g.vaultUrl(vault), credential, g.sdkOptions);
    const keys = new KeyClient(g.vaultUrl(vault), credential, g.sdkOptions);
    const certificates = new CertificateClient(g.vaultUrl(vault), credential, g.sdkOptions);
    const digest = createHash('sha256').update('not allowed').digest();

    // Allowed on both paths (Secrets User reads secrets).
    const allowedHttp = await secrets.getSecret('shared', tracked);
    const natsId = randomUUID();
    const allowedNats = await nats.secrets(vault).get('shared', undefined, { requestId: natsId });
    expect(allowedHttp.value).toBe(allowedNats.value);
    expect(gist(await auditOf(id, lastHttpId()))).toEqual(gist(await auditOf(id, natsId)));
    expect((await auditOf(id, natsId)).outcome).toBe('succeeded');

    // Refused on both paths, for the same reason, recorded alike.
    const refusals: Array<[string, () => Promise<unknown>, (requestId: string) => Promise<unknown>]> = [
      ['set a secret', () => secrets.setSecret('shared', 'reader was here', tracked), (requestId) => nats.secrets(vault).set('shared', 'reader was here', { requestId })],
      ['create a key', () => keys.createEcKey('reader-key', { curve: 'P-256', ...tracked }), (requestId) => nats.keys(vault).create('reader-key', 'EC', { curve: 'P-256', requestId })],
      ['sign', () => new CryptographyClient(`${g.vaultUrl(vault)}/keys/shared-key`, credential, g.sdkOptions).sign('ES256', digest, tracked),
        (requestId) => nats.keys(vault).sign('shared-key', 'ES256', digest.toString('base64url'), { requestId })],
      ['read a certificate', () => certificates.getCertificate('shared-cert', tracked), (requestId) => nats.certificates(vault).get('shared-cert', undefined, { requestId })],
    ];
    for (const [what, http, viaNats] of refusals) {
      const before = httpIds.length;
      const httpDenied = await restErrorOf(http());
      expect(httpIds.length).toBeGreaterThan(before); // a new client first gets the 401 challenge, answered at the edge
      const requestId = randomUUID();
      const natsDenied = await errorOf(viaNats(requestId));
      expect({ what, status: httpDenied.statusCode, code: httpDenied.code, message: httpDenied.message })
        .toEqual({ what, status: 403, code: natsDenied.code, message: natsDenied.message });
      expect(natsDenied.code).toBe('Forbidden');
      const [httpRecord, natsRecord] = [await auditOf(id, lastHttpId()), await auditOf(id, requestId)];
      expect({ what, ...gist(httpRecord) }).toEqual({ what, ...gist(natsRecord) });
      expect(natsRecord).toMatchObject({ outcome: 'denied', errorCode: 'Forbidden', principal: id });
    }
    // Nothing the reader tried changed anything.
    expect((await g.admin.secrets(vault).get('shared')).value).toBe('over nats');
    await expect(g.admin.keys(vault).get('reader-key')).rejects.toMatchObject({ code: 'KeyNotFound' });
  });
});
