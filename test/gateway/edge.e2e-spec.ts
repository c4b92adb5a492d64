import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { CofferClient } from '@coffer/client';
import { until } from '@coffer/testing';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { request } from 'node:https';
import { errorOf } from '../error-of';
import { DOMAIN, GatewayStack, restErrorOf, staticTokenCredential, startGatewayStack, TENANT } from './gateway-stack';
import { rawHttps } from './raw-https';

/** Bad input at the HTTP edge gets Azure's status and error body, changes nothing and crashes nothing; RBAC is the vault's. */
describe('gateway: edge, authority and RBAC parity', () => {
  const vault = 'edge-demo';
  const host = `${vault}.${DOMAIN}`;
  let g: GatewayStack;
  let token: string;
  let officer: { id: string; secret: string };
  const api = 'api-version=7.5';
  const call = (method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; host?: string } = {}) =>
    rawHttps(g.agent, g.port, options.host ?? host, method, path, {
      ...options, headers: { authorization: `Bearer ${token}`, ...options.headers },
    });
  const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const versionsOfDb = async () => (await g.admin.secrets(vault).listVersionsPage('db')).value.length;

  beforeAll(async () => {
    g = await startGatewayStack();
    await g.admin.vaults.create(vault, { retentionDays: 7 });
    const p = await g.admin.principals.create('edge-app', 'servicePrincipal');
    officer = { id: p.id, secret: (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret! };
    await g.admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Secrets Officer', scope: `/vaults/${vault}` });
    const reply = await rawHttps(g.agent, g.port, DOMAIN, 'POST', `/${TENANT}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: officer.id, client_secret: officer.secret, scope: `https://${DOMAIN}/.default` }).toString(),
    });
    expect(reply.status).toBe(200);
    token = reply.json().access_token;
    expect((await call('PUT', `/secrets/db?${api}`, json({ value: 'original' }))).status).toBe(200);
  });
  afterAll(async () => g?.stop());

  it('no token: 401 with the Bearer challenge, before the body is read', async () => {
    // Headers promising a body that never comes: the reply must not wait for it.
    const reply = await new Promise<{ status: number; challenge?: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', servername: host, port: g.port, method: 'PUT', path: `/secrets/db?${api}`, agent: g.agent,
        headers: { host: `${host}:${g.port}`, 'content-type': 'application/json', 'content-length': '50000' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, challenge: res.headers['www-authenticate'] as string, body }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(reply.status).toBe(401);
    expect(reply.challenge).toBe(`Bearer authorization="https://${DOMAIN}:${g.port}/${TENANT}", resource="https://${DOMAIN}"`);
    expect(JSON.parse(reply.body).error.code).toBe('Unauthorized');
  });

  it('bad input: Azure status and error body, nothing changes, the gateway keeps serving', async () => {
    const before = await versionsOfDb();
    const expectError = async (reply: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
      expect({ status: reply.status, code: reply.json().error?.code }).toEqual({ status, code });
      expect(typeof reply.json().error.message).toBe('string');
      expect(reply.headers['x-ms-request-id']).toBeDefined();
    };
    await expectError(await call('PUT', `/secrets/db?${api}`, { headers: { 'content-type': 'application/json' }, body: '{"value": "x",' }), 400, 'BadParameter');
    await expectError(await call('PUT', `/secrets/db?${api}`, { headers: { 'content-type': 'application/json' }, body: '["value"]' }), 400, 'BadParameter');
    await expectError(await call('PUT', `/secrets/db?${api}`, json({ value: 42 })), 400, 'BadParameter');
    await expectError(await call('PUT', '/secrets/db?api-version=7.9', json({ value: 'x' })), 400, 'BadParameter');
    await expectError(await call('PUT', '/secrets/db', json({ value: 'x' })), 400, 'BadParameter');
    await expectError(await call('PUT', `/secrets/db?${api}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 'x'.repeat(100_000) }) }), 413, 'RequestBodyTooLarge');
    await expectError(await call('PUT', `/secrets/db?${api}`, { headers: { 'content-type': 'text/plain' }, body: 'value=x' }), 400, 'BadParameter');
    await expectError(await call('PUT', `/secrets/db?${api}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'value=x' }), 400, 'BadParameter');
    await expectError(await call('PUT', `/secrets/bad_name?${api}`, json({ value: 'x' })), 400, 'BadParameter');
    await expectError(await call('GET', `/secrets/..%2F..%2Fdb?${api}`), 400, 'BadParameter');
    await expectError(await call('GET', `/secrets/%2e%2e/db?${api}`), 400, 'BadParameter');
    await expectError(await call('GET', `/secrets/../secrets/db?${api}`), 400, 'BadParameter');
    // A vault that does not exist: the caller holds no role there, and the vault says no before saying whether it exists.
    await expectError(await call('GET', `/secrets/db?${api}`, { host: `no-such-vault.${DOMAIN}` }), 403, 'Forbidden');
    const adminToken = (await g.admin.accessToken())!.token;
    await expectError(await call('GET', `/secrets/db?${api}`, { host: `no-such-vault.${DOMAIN}`, headers: { authorization: `Bearer ${adminToken}` } }), 404, 'VaultNotFound');
    await expectError(await call('GET', `/secrets/db?${api}`, { host: 'localhost' }), 404, 'VaultNotFound');
    await expectError(await call('GET', `/nothing/here?${api}`), 404, 'NotFound');
    await expectError(await call('GET', `/secrets?${api}&maxresults=500`), 400, 'BadParameter');
    // The certificate and key routes read their bodies the same way.
    await expectError(await call('POST', `/certificates/web/pending/merge?${api}`, json({ x5c: 'not-a-list' })), 400, 'BadParameter');
    await expectError(await call('POST', `/certificates/web/pending/merge?${api}`, { headers: { 'content-type': 'application/json' }, body: '{"x5c": [' }), 400, 'BadParameter');
    await expectError(await call('PATCH', `/certificates/web/pending?${api}`, json({ cancellation_requested: false })), 400, 'BadParameter');
    await expectError(await call('PUT', `/certificates/contacts?${api}`, json({ contacts: 'pki@example.com' })), 400, 'BadParameter');
    await expectError(await call('PUT', `/certificates/issuers/ca?${api}`, json({ provider: 'DigiCert' })), 400, 'BadParameter');
    await expectError(await call('POST', `/certificates/web/import?${api}`, json({ pwd: 'x' })), 400, 'BadParameter');
    await expectError(await call('POST', `/keys/k/release?${api}`, json({})), 400, 'BadParameter');
    await expectError(await call('POST', `/keys/k/create?${api}`, json({ kty: 'RSA', attributes: { exportable: true } })), 400, 'BadParameter');
    await expectError(await call('POST', `/certificates/restore?${api}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 'x'.repeat(100_000) }) }), 413, 'RequestBodyTooLarge');
    // A token for another audience (and signer): the vault refuses it; the 401 repeats the challenge.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ iss: 'https://sts.windows.net/x/', aud: 'https://vault.azure.net', sub: officer.id, iat: now, nbf: now, exp: now + 600 })}`;
    const foreign = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const refused = await call('GET', `/secrets/db?${api}`, { headers: { authorization: `Bearer ${foreign}` } });
    await expectError(refused, 401, 'Unauthorized');
    expect(refused.headers['www-authenticate']).toContain('resource=');
    await expectError(await call('GET', `/secrets/db?${api}`, { headers: { authorization: 'Bearer not-a-token' } }), 401, 'Unauthorized');

    expect(await versionsOfDb()).toBe(before);
    expect((await g.admin.secrets(vault).get('db')).value).toBe('original');
    // The SDK percent-encodes the parameter name; both spellings are one parameter.
    const got = await call('GET', '/secrets/db?api%2Dversion=2025-07-01');
    expect(got.status).toBe(200);
    expect(got.json().value).toBe('original');
  });

  it('the authority: OpenID configuration, and OAuth2 errors for a bad secret, scope, grant or tenant, and the lockout as 429', async () => {
    const config = (await rawHttps(g.agent, g.port, DOMAIN, 'GET', `/${TENANT}/v2.0/.well-known/openid-configuration`)).json();
    expect(config.token_endpoint).toBe(`https://${DOMAIN}:${g.port}/${TENANT}/oauth2/v2.0/token`);
    const tokenRequest = (fields: Record<string, string>, tenant = TENANT) => rawHttps(g.agent, g.port, DOMAIN, 'POST', `/${tenant}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: officer.id, client_secret: officer.secret, scope: `https://${DOMAIN}/.default`, ...fields }).toString(),
    });
    const outcome = async (p: ReturnType<typeof tokenRequest>) => { const r = await p; return { status: r.status, error: r.json().error }; };
    expect(await outcome(tokenRequest({ client_secret: 'a-wrong-secret-of-a-valid-length' }))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await outcome(tokenRequest({ scope: 'https://vault.azure.net/.default' }))).toEqual({ status: 400, error: 'invalid_scope' });
    expect(await outcome(tokenRequest({ grant_type: 'password' }))).toEqual({ status: 400, error: 'unsupported_grant_type' });
    expect(await outcome(tokenRequest({}, 'other-tenant'))).toEqual({ status: 400, error: 'invalid_request' });
    // The vault's lockout after 10 failed sign-ins in a row is OAuth's 429 with Retry-After.
    const target = await g.admin.principals.create('edge-lockout', 'servicePrincipal');
    await g.admin.principals.addCredential(target.id, { kind: 'secret' });
    const wrong = { client_id: target.id, client_secret: 'a-wrong-secret-of-a-valid-length' };
    for (let i = 0; i < 10; i++) expect((await outcome(tokenRequest(wrong))).status).toBe(401);
    const locked = await tokenRequest(wrong);
    expect({ status: locked.status, error: locked.json().error }).toEqual({ status: 429, error: 'temporarily_unavailable' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('JWKS: the authority jwks_uri serves the token-signing public key only; a ClientSecretCredential token verifies against it', async () => {
    const config = (await rawHttps(g.agent, g.port, DOMAIN, 'GET', `/${TENANT}/v2.0/.well-known/openid-configuration`)).json();
    expect(config.jwks_uri).toBe(`https://${DOMAIN}:${g.port}/${TENANT}/discovery/v2.0/keys`);
    const reply = await rawHttps(g.agent, g.port, DOMAIN, 'GET', new URL(config.jwks_uri).pathname);
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = reply.json();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });

    const credential = new ClientSecretCredential(TENANT, officer.id, officer.secret, { authorityHost: g.authorityHost, disableInstanceDiscovery: true, ...g.sdkOptions });
    const { token: jwt } = (await credential.getToken(`https://${DOMAIN}/.default`))!;
    const [header, payload, signature] = jwt.split('.');
    const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
    expect(alg).toBe('ES256');
    const jwk = keys.find((k: { kid: string }) => k.kid === kid);
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString()).sub).toBe(officer.id);
    const forged = Buffer.from(signature, 'base64url');
    forged[5] ^= 1;
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, forged)).toBe(false);

    // Another tenant, or a vault host: not the authority.
    expect((await rawHttps(g.agent, g.port, DOMAIN, 'GET', '/other/discovery/v2.0/keys')).status).toBe(404);
    expect((await rawHttps(g.agent, g.port, host, 'GET', `/${TENANT}/discovery/v2.0/keys`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    // Anonymous and audited like every anonymous request.
    await until('the JWKS requests in the audit trail', async () => {
      for await (const r of g.admin.audit.query({ action: 'Coffer/auth/jwks', outcome: 'succeeded' })) if (r.principal === null) return true;
      return undefined;
    });
  });

  it('RBAC: the HTTP path and the NATS path get the same decisions, and both are audited as the caller', async () => {
    const p = await g.admin.principals.create('edge-reader', 'servicePrincipal');
    const secret = (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret!;
    await g.admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Secrets User', scope: `/vaults/${vault}` });
    const nats = await CofferClient.connect({ url: g.stack.nats.url, credentials: { clientId: p.id, clientSecret: secret } });
    try {
      const http = new SecretClient(g.vaultUrl(vault), staticTokenCredential((await nats.accessToken())!.token), g.sdkOptions);
      expect((await http.getSecret('db')).value).toBe('original');
      expect((await nats.secrets(vault).get('db')).value).toBe('original');
      const httpDenied = await restErrorOf(http.setSecret('db', 'changed'));
      const natsDenied = await errorOf(nats.secrets(vault).set('db', 'changed'));
      expect({ status: httpDenied.statusCode, code: httpDenied.code }).toEqual({ status: 403, code: 'Forbidden' });
      expect(natsDenied.code).toBe('Forbidden');
      expect(httpDenied.message).toBe(natsDenied.message);
      expect((await restErrorOf(http.getSecret('missing'))).statusCode).toBe(404);
      expect((await g.admin.secrets(vault).get('db')).value).toBe('original');
      const denied = await until('both denied writes in the audit trail', async () => {
        const records = [];
        for await (const r of g.admin.audit.query({ principal: p.id, outcome: 'denied' })) records.push(r);
        return records.length >= 2 ? records : undefined;
      });
      expect(denied.map((r) => ({ action: r.action, subject: r.subject, objectId: r.objectId }))).toEqual([
        { action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action', subject: `coffer.v1.vault.${vault}.secret.set`, objectId: `/vaults/${vault}/secrets/db` },
        { action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action', subject: `coffer.v1.vault.${vault}.secret.set`, objectId: `/vaults/${vault}/secrets/db` },
      ]);
    } finally {
      await nats.close();
    }
  });
});
