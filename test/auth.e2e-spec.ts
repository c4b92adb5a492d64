import { BUILT_IN_ROLE_NAMES } from '@coffer/contracts';
import { connectTo } from '@coffer/testing';
import { NatsConnection, nkeys } from 'nats';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { adminCredentials, ClientCredentials, rawRequest, tokenFor } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';

const P = (op: string) => `coffer.v1.principals.${op}`;
const RA = (op: string) => `coffer.v1.roleassignments.${op}`;

describe('authentication and authorization over the wire', () => {
  let stack: InProcessStack;
  let nc: NatsConnection;
  let admin: string;
  const req = (subject: string, body: unknown, token?: string) => rawRequest(nc, subject, body, token);

  /** A new principal with a client secret and the given assignments; returns its credentials and a token. */
  async function principalWith(name: string, assignments: [role: string, scope: string][]): Promise<{ creds: ClientCredentials; token: string }> {
    const p = await req(P('create'), { name, type: 'servicePrincipal' }, admin);
    expect(p.id).toMatch(/^p-[0-9a-f]{16}$/);
    const c = await req(P('credential.add'), { id: p.id, kind: 'secret' }, admin);
    expect(c.clientSecret).toBeDefined();
    for (const [role, scope] of assignments) expect(await req(RA('create'), { principalId: p.id, role, scope }, admin)).toMatchObject({ role, scope });
    const creds = { clientId: p.id, clientSecret: c.clientSecret as string };
    return { creds, token: await tokenFor(nc, creds) };
  }

  beforeAll(async () => {
    stack = await startInProcessStack();
    nc = await connectTo(stack.nats.url);
    admin = await tokenFor(nc, adminCredentials(stack.home));
    await req('coffer.v1.vault.prod.create', {}, admin);
    await req('coffer.v1.vault.other.create', {}, admin);
    await req('coffer.v1.vault.prod.secret.set', { name: 'db', value: 'one' }, admin);
    await req('coffer.v1.vault.prod.secret.set', { name: 'api', value: 'two' }, admin);
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
  });

  it('bootstraps an administrator whose credentials file is private', async () => {
    expect(statSync(join(stack.home, 'admin.credentials')).mode & 0o777).toBe(0o600);
    const me = await req('coffer.v1.auth.whoami', {}, admin);
    expect(me.principal).toMatchObject({ name: 'admin', type: 'user', enabled: true });
    expect(me.assignments).toEqual([expect.objectContaining({ role: 'Key Vault Administrator', scope: '/' })]);
  });

  it('refuses requests without a token, with a bad one, and with wrong credentials', async () => {
    expect((await req('coffer.v1.vaults.list', {})).error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'TokenMissing' } });
    expect((await req('coffer.v1.vaults.list', {}, 'abc.def.ghi')).error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'TokenInvalid' } });
    const wrong = await req('coffer.v1.auth.token', { clientId: adminCredentials(stack.home).clientId, clientSecret: 'x'.repeat(43) });
    const unknown = await req('coffer.v1.auth.token', { clientId: 'p-0123456789abcdef', clientSecret: 'x'.repeat(43) });
    expect(wrong.error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'InvalidCredential' } });
    expect(unknown.error).toEqual(wrong.error);
    expect((await req('coffer.v1.status', {})).vault.ok).toBe(true);
  });

  it('refuses forged and wrong-audience tokens', async () => {
    const [h, p, s] = admin.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[10] ^= 1;
    expect((await req('coffer.v1.vaults.list', {}, `${h}.${p}.${sig.toString('base64url')}`)).error.innererror.code).toBe('TokenInvalid');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const otherAud = Buffer.from(JSON.stringify({ ...claims, aud: 'someone-else' })).toString('base64url');
    expect((await req('coffer.v1.vaults.list', {}, `${h}.${otherAud}.${s}`)).error.innererror.code).toBe('TokenInvalid');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect((await req('coffer.v1.vaults.list', {}, `${none}.${p}.`)).error.code).toBe('Unauthorized');
  });

  it('issues a token for a signed Ed25519 challenge, and a nonce works once', async () => {
    const p = await req(P('create'), { name: 'key-bot', type: 'servicePrincipal' }, admin);
    const kp = nkeys.createUser();
    const pub = kp.getPublicKey();
    expect(await req(P('credential.add'), { id: p.id, kind: 'ed25519', publicKey: pub }, admin)).toMatchObject({ principalId: p.id });
    const { nonce } = await req('coffer.v1.auth.challenge', { clientId: p.id });
    const signature = Buffer.from(kp.sign(Buffer.from(nonce))).toString('base64');
    const first = await req('coffer.v1.auth.token', { clientId: p.id, nonce, signature });
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect((await req('coffer.v1.auth.whoami', {}, first.accessToken)).principal.name).toBe('key-bot');
    const replay = await req('coffer.v1.auth.token', { clientId: p.id, nonce, signature });
    expect(replay.error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'NonceInvalid' } });
    const other = await req('coffer.v1.auth.challenge', { clientId: p.id });
    const badSig = Buffer.from(nkeys.createUser().sign(Buffer.from(other.nonce))).toString('base64');
    expect((await req('coffer.v1.auth.token', { clientId: p.id, nonce: other.nonce, signature: badSig })).error.innererror.code).toBe('InvalidCredential');
  });

  it('revokes tokens when the principal is disabled or its credential removed', async () => {
    const { creds, token } = await principalWith('revoke-me', [['Key Vault Reader', '/']]);
    expect((await req('coffer.v1.vaults.list', {}, token)).value).toBeDefined();
    await req(P('disable'), { id: creds.clientId }, admin);
    expect((await req('coffer.v1.vaults.list', {}, token)).error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'TokenRevoked' } });
    expect((await req('coffer.v1.auth.token', creds)).error.innererror.code).toBe('InvalidCredential');
    await req(P('enable'), { id: creds.clientId }, admin);
    expect((await req('coffer.v1.vaults.list', {}, token)).error.innererror.code).toBe('TokenRevoked');
    const fresh = await tokenFor(nc, creds);
    const freshReply = await req('coffer.v1.vaults.list', {}, fresh);
    expect(freshReply.error).toBeUndefined();
    expect(freshReply.value).toBeDefined();
    const shown = await req(P('show'), { id: creds.clientId }, admin);
    expect(shown.credentials[0]).not.toHaveProperty('hash');
    await req(P('credential.remove'), { id: creds.clientId, credentialId: shown.credentials[0].id }, admin);
    expect((await req('coffer.v1.vaults.list', {}, fresh)).error.innererror.code).toBe('TokenRevoked');
  });

  it('enforces the role matrix and scopes', async () => {
    const user = await principalWith('secrets-user', [['Key Vault Secrets User', '/vaults/prod']]);
    expect((await req('coffer.v1.vault.prod.secret.get', { name: 'db' }, user.token)).value).toBe('one');
    const denied = await req('coffer.v1.vault.prod.secret.set', { name: 'db', value: 'x' }, user.token);
    expect(denied.error).toMatchObject({ code: 'Forbidden', innererror: { code: 'ForbiddenByRbac' } });
    expect(denied.error.message).toContain('Microsoft.KeyVault/vaults/secrets/setSecret/action');
    expect(denied.error.message).toContain('/vaults/prod/secrets/db');
    expect((await req('coffer.v1.vault.other.secret.list', {}, user.token)).error.code).toBe('Forbidden');

    const reader = await principalWith('reader', [['Key Vault Reader', '/vaults/prod']]);
    expect((await req('coffer.v1.vault.prod.secret.list', {}, reader.token)).value.map((s: { name: string }) => s.name).sort()).toEqual(['api', 'db']);
    expect((await req('coffer.v1.vault.prod.secret.get', { name: 'db' }, reader.token)).error.code).toBe('Forbidden');

    const one = await principalWith('one-secret', [['Key Vault Secrets User', '/vaults/prod/secrets/db']]);
    expect((await req('coffer.v1.vault.prod.secret.get', { name: 'db' }, one.token)).value).toBe('one');
    expect((await req('coffer.v1.vault.prod.secret.get', { name: 'api' }, one.token)).error.code).toBe('Forbidden');
    expect((await req('coffer.v1.vault.prod.secret.list', {}, one.token)).error.code).toBe('Forbidden');

    // Management: only administrators.
    expect((await req(P('list'), {}, user.token)).error.code).toBe('Forbidden');
    expect((await req(P('list'), {}, admin)).value.length).toBeGreaterThanOrEqual(4);
  });

  it('manages role assignments: conflict, bad role/scope, list, delete', async () => {
    const { creds, token } = await principalWith('ra-target', [['Key Vault Secrets Officer', '/vaults/prod']]);
    const body = { principalId: creds.clientId, role: 'Key Vault Secrets Officer', scope: '/vaults/prod' };
    expect((await req(RA('create'), body, admin)).error).toMatchObject({ code: 'Conflict' });
    expect((await req(RA('create'), { ...body, role: 'Nope' }, admin)).error.message).toContain('Key Vault Reader');
    expect((await req(RA('create'), { ...body, scope: 'prod' }, admin)).error.code).toBe('BadParameter');
    const list = await req(RA('list'), { principalId: creds.clientId }, admin);
    expect(list.value).toHaveLength(1);
    expect((await req('coffer.v1.vault.prod.secret.set', { name: 'x1', value: 'v' }, token)).value).toBe('v');
    expect(await req(RA('delete'), { id: list.value[0].id }, admin)).toMatchObject({ id: list.value[0].id });
    expect((await req('coffer.v1.vault.prod.secret.set', { name: 'x1', value: 'v' }, token)).error.code).toBe('Forbidden');
    expect((await req(RA('delete'), { id: list.value[0].id }, admin)).error).toMatchObject({ code: 'NotFound', innererror: { code: 'RoleAssignmentNotFound' } });
    expect((await req('coffer.v1.roles.list', {}, admin)).value.map((r: { name: string }) => r.name)).toEqual(BUILT_IN_ROLE_NAMES);
  });

  it('refuses an assignment on a vault that does not exist; the root and a vault created just before work', async () => {
    const { creds } = await principalWith('ra-no-vault', []);
    const body = (scope: string) => ({ principalId: creds.clientId, role: 'Key Vault Reader', scope });
    for (const scope of ['/vaults/ghost', '/vaults/ghost/secrets/db', '/vaults/ghost/keys/k']) {
      const { error } = await req(RA('create'), body(scope), admin);
      expect(error).toMatchObject({ code: 'VaultNotFound', message: expect.stringContaining("'ghost'") });
    }
    expect((await req(RA('list'), { principalId: creds.clientId }, admin)).value).toEqual([]);
    // Not an existence oracle for others: assigning needs roleAssignments/write on '/'.
    const reader = await principalWith('ra-reader', [['Key Vault Reader', '/vaults/prod']]);
    expect((await req(RA('create'), body('/vaults/ghost'), reader.token)).error.code).toBe('Forbidden');
    expect(await req(RA('create'), body('/'), admin)).toMatchObject({ scope: '/' });
    await req('coffer.v1.vault.fresh.create', {}, admin);
    expect(await req(RA('create'), body('/vaults/fresh/secrets/db'), admin)).toMatchObject({ scope: '/vaults/fresh/secrets/db' });
  });
});

describe('token expiry', () => {
  let stack: InProcessStack;
  let nc: NatsConnection;
  beforeAll(async () => {
    stack = await startInProcessStack({ env: { COFFER_TOKEN_TTL_SECONDS: '1' } });
    nc = await connectTo(stack.nats.url);
  });
  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
  });

  it('refuses an expired token', async () => {
    const token = await tokenFor(nc, adminCredentials(stack.home));
    expect((await rawRequest(nc, 'coffer.v1.vaults.list', {}, token)).value).toBeDefined();
    await new Promise((r) => setTimeout(r, 2100));
    expect((await rawRequest(nc, 'coffer.v1.vaults.list', {}, token)).error).toMatchObject({ code: 'Unauthorized', innererror: { code: 'TokenExpired' } });
  });
});
