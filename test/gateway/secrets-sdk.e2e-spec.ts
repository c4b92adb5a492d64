import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { CofferClient } from '@coffer/client';
import { until } from '@coffer/testing';
import { errorOf } from '../error-of';
import { GatewayStack, restErrorOf, staticTokenCredential, startGatewayStack, TENANT } from './gateway-stack';

/**
 * The unmodified @azure/keyvault-secrets client against Coffer through the gateway: its whole public
 * surface, authenticated through Coffer's OAuth2 authority (ClientSecretCredential) and with a plain
 * token, every result checked on the NATS path too.
 */
describe('gateway: @azure/keyvault-secrets', () => {
  const vault = 'sdk-demo';
  let g: GatewayStack;
  let officer: { id: string; secret: string };
  let client: SecretClient;
  const coffer = () => g.admin.secrets(vault);

  beforeAll(async () => {
    g = await startGatewayStack();
    await g.admin.vaults.create(vault, { retentionDays: 7 });
    const p = await g.admin.principals.create('sdk-app', 'servicePrincipal');
    officer = { id: p.id, secret: (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret! };
    await g.admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Secrets Officer', scope: `/vaults/${vault}` });
    const credential = new ClientSecretCredential(TENANT, officer.id, officer.secret, { authorityHost: g.authorityHost, disableInstanceDiscovery: true, ...g.sdkOptions });
    client = new SecretClient(g.vaultUrl(vault), credential, g.sdkOptions);
  });
  afterAll(async () => g?.stop());

  it('set, get, get a version, update properties: the same objects on the NATS path, ids on the origin called', async () => {
    const nbf = new Date('2026-01-01T00:00:00Z');
    const first = await client.setSecret('db', 'hunter2', { contentType: 'text/plain', tags: { env: 'prod' }, notBefore: nbf });
    expect(first.properties.id).toBe(`${g.vaultUrl(vault)}/secrets/db/${first.properties.version}`);
    expect(first.properties.vaultUrl).toBe(g.vaultUrl(vault));
    expect(first.properties.notBefore).toEqual(nbf);
    expect(first.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    const second = await client.setSecret('db', 'hunter3');
    expect((await client.getSecret('db')).value).toBe('hunter3');
    expect((await client.getSecret('db', { version: first.properties.version })).value).toBe('hunter2');
    const viaNats = await coffer().get('db', first.properties.version);
    expect({ value: viaNats.value, contentType: viaNats.contentType, tags: viaNats.tags }).toEqual({ value: 'hunter2', contentType: 'text/plain', tags: { env: 'prod' } });

    const expiresOn = new Date('2030-06-01T00:00:00Z');
    const updated = await client.updateSecretProperties('db', second.properties.version!, { enabled: false, expiresOn, tags: { rotated: 'yes' } });
    expect(updated.enabled).toBe(false);
    expect(updated.expiresOn).toEqual(expiresOn);
    const natsProps = (await coffer().listVersionsPage('db')).value.find((v) => v.version === second.properties.version)!;
    expect(natsProps.attributes).toMatchObject({ enabled: false, exp: expiresOn.toISOString() });
    expect(natsProps.tags).toEqual({ rotated: 'yes' });
    // A disabled version cannot be read, on either path.
    expect((await restErrorOf(client.getSecret('db'))).statusCode).toBe(403);
    expect((await errorOf(coffer().get('db'))).code).toBe('Forbidden');
    await client.updateSecretProperties('db', second.properties.version!, { enabled: true });
  });

  it('lists properties and versions with maxresults paging through nextLink', async () => {
    for (let i = 0; i < 5; i++) await client.setSecret(`page-${i}`, `v${i}`);
    for (let i = 0; i < 4; i++) await client.setSecret('page-0', `again-${i}`);
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) {
      pages.push(page.length);
      names.push(...page.map((p) => p.name));
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((n) => n <= 2)).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['db', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4']));
    const viaNats: string[] = [];
    for await (const item of coffer().list()) viaNats.push(item.name);
    expect([...names].sort()).toEqual(viaNats.sort());

    const versions: string[] = [];
    for await (const page of client.listPropertiesOfSecretVersions('page-0').byPage({ maxPageSize: 2 })) versions.push(...page.map((p) => p.version!));
    expect(versions).toHaveLength(5);
    expect(new Set(versions).size).toBe(5);
  });

  it('delete (poller), get and list deleted, recover (poller), delete again and purge', async () => {
    await client.setSecret('temp', 'short-lived');
    const deleted = await (await client.beginDeleteSecret('temp', { intervalInMs: 50 })).pollUntilDone();
    expect(deleted.recoveryId).toBe(`${g.vaultUrl(vault)}/deletedsecrets/temp`);
    expect(deleted.deletedOn).toBeInstanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate!.getTime()).toBeGreaterThan(Date.now());
    expect((await client.getDeletedSecret('temp')).name).toBe('temp');
    const listed: string[] = [];
    for await (const d of client.listDeletedSecrets()) listed.push(d.name);
    expect(listed).toContain('temp');
    expect((await restErrorOf(client.getSecret('temp'))).statusCode).toBe(404);
    // Setting a soft-deleted name is Azure's 409 ObjectIsDeletedButRecoverable.
    const conflict = await restErrorOf(client.setSecret('temp', 'x'));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe('Conflict');

    const recovered = await (await client.beginRecoverDeletedSecret('temp', { intervalInMs: 50 })).pollUntilDone();
    expect(recovered.name).toBe('temp');
    expect((await client.getSecret('temp')).value).toBe('short-lived');

    await (await client.beginDeleteSecret('temp', { intervalInMs: 50 })).pollUntilDone();
    await client.purgeDeletedSecret('temp');
    expect((await restErrorOf(client.getDeletedSecret('temp'))).statusCode).toBe(404);
    expect((await errorOf(coffer().getDeleted('temp'))).code).toBe('SecretNotFound');
  });

  it('backup and restore: the blob round-trips through the SDK (bytes) into a vault after purge', async () => {
    await client.setSecret('kept', 'v1');
    await client.setSecret('kept', 'v2');
    const backup = await client.backupSecret('kept');
    expect(backup).toBeInstanceOf(Uint8Array);
    expect((await restErrorOf(client.restoreSecretBackup(backup!))).statusCode).toBe(409);
    await (await client.beginDeleteSecret('kept', { intervalInMs: 50 })).pollUntilDone();
    await client.purgeDeletedSecret('kept');
    const restored = await client.restoreSecretBackup(backup!);
    expect(restored.name).toBe('kept');
    expect((await client.getSecret('kept')).value).toBe('v2');
    expect((await coffer().listVersionsPage('kept')).value).toHaveLength(2);
  });

  it('a plain token credential works; every reply carries x-ms-request-id, the id of its audit record', async () => {
    const nats = await CofferClient.connect({ url: g.stack.nats.url, credentials: { clientId: officer.id, clientSecret: officer.secret } });
    try {
      const { token } = (await nats.accessToken())!;
      const requestIds: string[] = [];
      const tokenClient = new SecretClient(g.vaultUrl(vault), staticTokenCredential(token), {
        ...g.sdkOptions,
        additionalPolicies: [...g.sdkOptions.additionalPolicies, {
          policy: { name: 'seeRequestIds', sendRequest: async (req: any, next: any) => { const res = await next(req); requestIds.push(res.headers.get('x-ms-request-id')); return res; } },
          position: 'perCall' as const,
        }],
      });
      expect((await tokenClient.getSecret('db')).value).toBe('hunter3');
      const requestId = requestIds[requestIds.length - 1];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const record = await until('the audit record of the HTTP read', async () => {
        for await (const r of g.admin.audit.query({ principal: officer.id, action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action' })) if (r.requestId === requestId) return r;
        return undefined;
      });
      expect(record).toMatchObject({ outcome: 'succeeded', objectId: `/vaults/${vault}/secrets/db`, subject: `coffer.v1.vault.${vault}.secret.get` });
    } finally {
      await nats.close();
    }
  });
});
