import { AuthSubjects, Subjects } from '@coffer/contracts';
import { SpawnedNats, startNatsServer } from '@coffer/testing';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect, Msg, NatsConnection, nkeys } from 'nats';
import { run } from './main';

const ID = 'p-0123456789abcdef';
const OTHER = 'p-fedcba9876543210';
const SECRET = 'admin-secret-admin-secret';
const VAULT = 'prod';
const err = (code: string, message: string, inner?: string) => ({ error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } });

const principal = (id = ID, name = 'admin') => ({ id, name, type: 'user', enabled: true, created: '2030-01-01T00:00:00.000Z', credentials: [] });
const assignment = { id: 'ra-0123456789abcdef', principalId: OTHER, role: 'Key Vault Secrets User', scope: '/vaults/prod', created: '2030-01-02T00:00:00.000Z' };

/** The fake Coffer: issues tok-N for the admin secret or a registered key; everything else needs a valid token. */
function fakeCoffer() {
  const state = { issued: 0, valid: new Set<string>(), keys: new Set<string>(), nonces: new Set<string>(), verify: { ok: true, checkedRecords: 3, checkpoints: 1, problems: [] } as unknown };
  const requests: { subject: string; authorization?: string; body: Record<string, unknown> }[] = [];
  const route = (subject: string, body: Record<string, unknown>, auth: string | undefined): unknown => {
    if (subject === AuthSubjects.challenge) {
      const nonce = `nonce-${state.nonces.size + 1}-${Date.now()}`;
      state.nonces.add(nonce);
      return { nonce, expiresOn: '2030-01-01T00:00:00Z' };
    }
    if (subject === AuthSubjects.token) {
      const byKey = typeof body.nonce === 'string' && state.nonces.delete(body.nonce) &&
        [...state.keys].some((k) => nkeys.fromPublic(k).verify(Buffer.from(body.nonce as string), Buffer.from(String(body.signature), 'base64')));
      if (!(body.clientId === ID && body.clientSecret === SECRET) && !byKey) return err('Unauthorized', 'Invalid client credentials.', 'InvalidCredential');
      const token = `tok-${++state.issued}`;
      state.valid.add(token);
      return { accessToken: token, tokenType: 'Bearer', expiresIn: 900, expiresOn: new Date(Date.now() + 900_000).toISOString() };
    }
    if (!auth) return err('Unauthorized', 'No access token.', 'TokenMissing');
    if (!state.valid.has(auth.replace(/^Bearer /, ''))) return err('Unauthorized', 'The access token has expired.', 'TokenExpired');
    switch (subject) {
      case AuthSubjects.whoami:
        return { principal: principal(), assignments: [{ ...assignment, principalId: ID, role: 'Key Vault Administrator', scope: '/' }], tokenExpiresOn: '2030-01-01T00:15:00.000Z' };
      case AuthSubjects.principal('create'):
        return principal(OTHER, String(body.name));
      case AuthSubjects.principal('list'):
        return { value: [principal(), principal(OTHER, 'ci-bot')] };
      case AuthSubjects.principal('show'):
        return body.id === ID ? principal() : err('NotFound', `Principal '${body.id}' was not found.`, 'PrincipalNotFound');
      case AuthSubjects.principal('credential.add'):
        if (body.kind === 'ed25519') state.keys.add(String(body.publicKey));
        return { principalId: body.id, credentialId: 'c-0123456789abcdef', ...(body.kind === 'secret' ? { clientSecret: 'new-client-secret-value' } : {}) };
      case AuthSubjects.roleList:
        return { value: [{ name: 'Key Vault Reader', description: 'Reads metadata.', dataActions: ['Coffer/vaults/read'] }] };
      case AuthSubjects.roleAssignment('create'):
        return { ...assignment, principalId: body.principalId, role: body.role, scope: body.scope };
      case AuthSubjects.roleAssignment('list'):
        return { value: [assignment] };
      case AuthSubjects.roleAssignment('delete'):
        return assignment;
      case AuthSubjects.audit('query'):
        return { value: [{ time: '2030-01-01T00:00:00.000Z', requestId: 'r1', principal: ID, action: 'a', objectId: '/vaults/prod/secrets/db', outcome: 'denied', subject: 's' }] };
      case AuthSubjects.audit('verify'):
        return state.verify;
      case AuthSubjects.audit('usage'):
        return { objectId: body.objectId, versions: [{ version: 'a'.repeat(32), lastReadBy: ID, lastReadAt: '2030-01-01T00:00:00.000Z', reads: 2 }] };
      case Subjects.secret(VAULT, 'get'):
        return err('Forbidden', 'Caller lacks getSecret on /vaults/prod/secrets/db.', 'ForbiddenByRbac');
      default:
        return err('BadParameter', `no fake for ${subject}`);
    }
  };
  return {
    state,
    requests,
    handle(msg: Msg) {
      const body = JSON.parse(new TextDecoder().decode(msg.data));
      const authorization = msg.headers?.has('Authorization') ? msg.headers.get('Authorization') : undefined;
      requests.push({ subject: msg.subject, authorization, body });
      msg.respond(new TextEncoder().encode(JSON.stringify(route(msg.subject, body, authorization))));
    },
  };
}

describe('coffer CLI authentication, identity, access and audit (real nats-server, fake Coffer)', () => {
  let nats: SpawnedNats;
  let responder: NatsConnection;
  let coffer: ReturnType<typeof fakeCoffer>;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const tokenFile = () => join(dir, 'config', 'coffer', 'token.json');
  const adminFile = () => join(dir, 'home', 'admin.credentials');
  const subjects = () => coffer.requests.map((r) => r.subject);
  const authOf = (subject: string) => coffer.requests.filter((r) => r.subject === subject).map((r) => r.authorization);

  async function cli(args: string[], stdin = '') {
    let stdout = '';
    let stderr = '';
    const code = await run(
      [...args, '--nats-url', nats.url, '--timeout', '2000'],
      { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: Readable.from([Buffer.from(stdin)]) },
      env,
    );
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    responder = await connect({ servers: nats.url, noAsyncTraces: true });
    coffer = fakeCoffer();
    responder.subscribe('coffer.v1.>', { callback: (_e, m) => coffer.handle(m) });
    await responder.flush();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-cli-auth-'));
    mkdirSync(join(dir, 'home'));
    // Like the embedded server on first start; the test server is on 127.0.0.1, i.e. local.
    writeFileSync(adminFile(), JSON.stringify({ clientId: ID, clientSecret: SECRET }), { mode: 0o600 });
    env = { PATH: process.env.PATH, HOME: dir, COFFER_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config') };
    coffer.requests.length = 0;
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  afterAll(async () => {
    await responder?.close();
    await nats?.stop();
  });

  describe('login, logout, whoami', () => {
    it('login with --client-id/--client-secret caches the token 0600 with the NATS URL and expiry; later commands use it', async () => {
      const login = await cli(['login', '--client-id', ID, '--client-secret', SECRET]);
      expect(login.code).toBe(0);
      const shown = JSON.parse(login.stdout);
      expect(shown).toEqual({ natsUrl: nats.url, clientId: ID, expiresOn: expect.any(String), tokenFile: tokenFile() });
      expect(login.stdout).not.toContain('tok-');
      expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
      const cache = JSON.parse(readFileSync(tokenFile(), 'utf8'));
      expect(cache).toMatchObject({ natsUrl: nats.url, accessToken: expect.stringMatching(/^tok-/), tokenType: 'Bearer', clientId: ID });
      expect(Date.parse(cache.expiresOn) - Date.now()).toBeGreaterThan(800_000);

      rmSync(adminFile()); // prove the cache, not the admin file, is used
      coffer.requests.length = 0;
      const whoami = await cli(['whoami', '-o', 'table']);
      expect(whoami.code).toBe(0);
      expect(whoami.stdout).toMatch(/Principal.*Name.*Type.*Role.*Scope.*TokenExpiresOn/);
      expect(whoami.stdout).toMatch(/p-0123456789abcdef.*admin.*user.*Key Vault Administrator.*\//);
      expect(coffer.requests).toEqual([{ subject: AuthSubjects.whoami, authorization: `Bearer ${cache.accessToken}`, body: {} }]);
    });

    it('login reads the secret from stdin with --client-secret -', async () => {
      expect((await cli(['login', '--client-id', ID, '--client-secret', '-'], `${SECRET}\n`)).code).toBe(0);
      expect(coffer.requests[0].body).toEqual({ clientId: ID, clientSecret: SECRET });
    });

    it('login with --key-file signs a challenge (the key registered with credential add --generate)', async () => {
      const keyFile = join(dir, 'bot.nk');
      const add = await cli(['principal', 'credential', 'add', '--id', OTHER, '--kind', 'ed25519', '--generate', '--key-file', keyFile]);
      expect(add.code).toBe(0);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const seed = readFileSync(keyFile, 'utf8').trim();
      const publicKey = nkeys.fromSeed(Buffer.from(seed)).getPublicKey();
      expect(JSON.parse(add.stdout)).toEqual({ principalId: OTHER, credentialId: 'c-0123456789abcdef', publicKey, keyFile });
      expect(coffer.requests.at(-1)?.body).toEqual({ id: OTHER, kind: 'ed25519', publicKey });

      coffer.requests.length = 0;
      const login = await cli(['login', '--client-id', OTHER, '--key-file', keyFile]);
      expect(login.code).toBe(0);
      expect(subjects()).toEqual([AuthSubjects.challenge, AuthSubjects.token]);
      expect(JSON.stringify(coffer.requests)).not.toContain(seed);
    });

    it('login without flags uses the embedded admin.credentials', async () => {
      const login = await cli(['login', '-o', 'tsv']);
      expect(login.code).toBe(0);
      expect(login.stdout.split('\t').slice(0, 2)).toEqual([nats.url, ID]);
      expect(coffer.requests[0].body).toEqual({ clientId: ID, clientSecret: SECRET });
    });

    it('login with wrong credentials: exit 5, nothing cached', async () => {
      const login = await cli(['login', '--client-id', ID, '--client-secret', 'wrong-wrong-wrong-wrong']);
      expect(login.code).toBe(5);
      expect(login.stderr).toBe('ERROR: (Unauthorized/InvalidCredential) Invalid client credentials.\n');
      expect(existsSync(tokenFile())).toBe(false);
    });

    it.each([
      [['login', '--client-id', ID], /needs --client-secret or --key-file/],
      [['login', '--client-secret', SECRET], /need --client-id/],
      [['login', '--credentials', 'f', '--client-id', ID], /cannot be used with/],
    ])('login usage error %j: exit 2, nothing sent', async (args, message) => {
      const { code, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(coffer.requests).toHaveLength(0);
    });

    it('logout deletes the cache; without any credentials a command exits 5 with a hint', async () => {
      await cli(['login']);
      expect((await cli(['logout'])).code).toBe(0);
      expect(existsSync(tokenFile())).toBe(false);
      rmSync(adminFile());
      coffer.requests.length = 0;
      const whoami = await cli(['whoami']);
      expect(whoami.code).toBe(5);
      expect(whoami.stderr).toBe('ERROR: (Unauthorized/TokenMissing) No access token.\nhint: no credentials: run coffer login, or set COFFER_CREDENTIALS (a credentials file) or COFFER_TOKEN\n');
      expect(coffer.requests[0].authorization).toBeUndefined();
    });

    it('a cached token the server refuses: exit 5 and a hint to log in again', async () => {
      await cli(['login']);
      coffer.state.valid.clear();
      const whoami = await cli(['whoami']);
      expect(whoami.code).toBe(5);
      expect(whoami.stderr).toMatch(/TokenExpired.*\nhint: .*run coffer login again/);
    });

    it('an expired cached token is skipped with a note; the embedded admin credentials take over', async () => {
      await cli(['login']);
      const cache = JSON.parse(readFileSync(tokenFile(), 'utf8'));
      writeFileSync(tokenFile(), JSON.stringify({ ...cache, expiresOn: '2020-01-01T00:00:00.000Z' }));
      coffer.requests.length = 0;
      const whoami = await cli(['whoami']);
      expect(whoami.code).toBe(0);
      expect(whoami.stderr).toMatch(/^coffer: the login token for .* expired/);
      expect(subjects()).toEqual([AuthSubjects.token, AuthSubjects.whoami]);
    });
  });

  describe('credential precedence', () => {
    it('without a login, the embedded admin.credentials (a fresh token each run)', async () => {
      await cli(['whoami']);
      await cli(['whoami']);
      expect(subjects()).toEqual([AuthSubjects.token, AuthSubjects.whoami, AuthSubjects.token, AuthSubjects.whoami]);
      expect(authOf(AuthSubjects.whoami)).toEqual([expect.stringMatching(/^Bearer tok-/), expect.stringMatching(/^Bearer tok-/)]);
    });

    it('--token > COFFER_TOKEN > COFFER_CREDENTIALS > login cache', async () => {
      await cli(['login']);
      const cached = JSON.parse(readFileSync(tokenFile(), 'utf8')).accessToken;
      const credentials = join(dir, 'ci.credentials');
      writeFileSync(credentials, JSON.stringify({ clientId: ID, clientSecret: SECRET }));
      coffer.state.valid.add('flag').add('env');
      coffer.requests.length = 0;

      env.COFFER_TOKEN = 'env';
      env.COFFER_CREDENTIALS = credentials;
      await cli(['whoami', '--token', 'flag']);
      await cli(['whoami']);
      delete env.COFFER_TOKEN;
      await cli(['whoami']);
      delete env.COFFER_CREDENTIALS;
      await cli(['whoami']);
      expect(authOf(AuthSubjects.whoami)).toEqual(['Bearer flag', 'Bearer env', expect.stringMatching(/^Bearer tok-/), `Bearer ${cached}`]);
      expect(authOf(AuthSubjects.whoami)[2]).not.toBe(`Bearer ${cached}`); // COFFER_CREDENTIALS got a fresh token
    });
  });

  describe('principals, roles, audit', () => {
    it('principal create/list/show, with --type mapped to the wire value', async () => {
      const created = await cli(['principal', 'create', '--name', 'ci-bot', '--type', 'service-principal']);
      expect(created.code).toBe(0);
      expect(coffer.requests.at(-1)?.body).toEqual({ name: 'ci-bot', type: 'servicePrincipal' });
      const list = await cli(['principal', 'list', '--field', 'name']);
      expect(list.stdout).toBe('admin\nci-bot\n');
      expect((await cli(['principal', 'show', '--id', ID, '-o', 'table'])).stdout).toMatch(/Id.*Name.*Type.*Enabled.*Created.*Credentials/);
      const missing = await cli(['principal', 'show', '--id', OTHER]);
      expect(missing.code).toBe(3);
      expect((await cli(['principal', 'show', '--id', 'nope'])).code).toBe(2);
    });

    it('principal credential add --kind secret prints the secret once (note on stderr) and can write a credentials file', async () => {
      const file = join(dir, 'bot.credentials');
      const add = await cli(['principal', 'credential', 'add', '--id', OTHER, '--credentials-file', file]);
      expect(add.code).toBe(0);
      expect(JSON.parse(add.stdout)).toEqual({ principalId: OTHER, credentialId: 'c-0123456789abcdef', clientSecret: 'new-client-secret-value' });
      expect(add.stderr).toMatch(/shown this once only/);
      expect(coffer.requests.at(-1)?.body).toEqual({ id: OTHER, kind: 'secret' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ clientId: OTHER, clientSecret: 'new-client-secret-value' });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    });

    it('principal credential add --key-file registers the public key derived from an existing seed', async () => {
      const pair = nkeys.createUser();
      const keyFile = join(dir, 'existing.nk');
      writeFileSync(keyFile, new TextDecoder().decode(pair.getSeed()));
      expect((await cli(['principal', 'credential', 'add', '--id', OTHER, '--key-file', keyFile, '--expires', '2031-01-01'])).code).toBe(0);
      expect(coffer.requests.at(-1)?.body).toEqual({ id: OTHER, kind: 'ed25519', publicKey: pair.getPublicKey(), expires: '2031-01-01T00:00:00.000Z' });
    });

    it('role list and role assignment create/list/delete', async () => {
      expect((await cli(['role', 'list', '-o', 'tsv'])).stdout).toBe('Key Vault Reader\tReads metadata.\tCoffer/vaults/read\n');
      const created = await cli(['role', 'assignment', 'create', '--assignee', OTHER, '--role', 'Key Vault Secrets User', '--scope', '/vaults/prod/secrets/db']);
      expect(created.code).toBe(0);
      expect(coffer.requests.at(-1)?.body).toEqual({ principalId: OTHER, role: 'Key Vault Secrets User', scope: '/vaults/prod/secrets/db' });
      await cli(['role', 'assignment', 'list', '--assignee', OTHER, '--scope', '/']);
      expect(coffer.requests.at(-1)?.body).toEqual({ principalId: OTHER, scope: '/' });
      expect((await cli(['role', 'assignment', 'delete', '--id', 'ra-0123456789abcdef', '--field', 'id'])).stdout).toBe('ra-0123456789abcdef\n');
      const bad = await cli(['role', 'assignment', 'create', '--assignee', OTHER, '--role', 'x', '--scope', '/vault/prod']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/a scope is \//);
    });

    it('audit query sends every filter under its wire name', async () => {
      const query = await cli([
        'audit', 'query', '--principal', ID, '--object', '/vaults/prod/secrets/db', '--action', 'a', '--outcome', 'denied',
        '--since', '2030-01-01', '--until', '2030-01-02T00:00:00Z', '--max-results', '5', '-o', 'tsv',
      ]);
      expect(query.code).toBe(0);
      expect(query.stdout).toMatch(/^2030-01-01T00:00:00.000Z\tp-0123456789abcdef\ta\t\/vaults\/prod\/secrets\/db\t\tdenied/);
      expect(coffer.requests.at(-1)?.body).toEqual({
        principal: ID, objectId: '/vaults/prod/secrets/db', action: 'a', outcome: 'denied',
        since: '2030-01-01T00:00:00.000Z', until: '2030-01-02T00:00:00.000Z', maxResults: 5,
      });
    });

    it('audit verify: exit 0 when intact; exit 1 with the problems (kind, sequence, detail) when not', async () => {
      expect((await cli(['audit', 'verify'])).code).toBe(0);
      coffer.state.verify = { ok: false, checkedRecords: 9, checkpoints: 1, problems: [{ kind: 'modified', sequence: 4, detail: 'hash mismatch' }] };
      const bad = await cli(['audit', 'verify', '--from-sequence', '2', '-o', 'table']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/modified.*4.*hash mismatch/);
      expect(bad.stderr).toBe('ERROR: the audit trail failed verification (1 problem(s)):\n  modified at sequence 4: hash mismatch\n');
      expect(coffer.requests.at(-1)?.body).toEqual({ fromSequence: 2 });
      coffer.state.verify = { ok: true, checkedRecords: 3, checkpoints: 1, problems: [] };
    });

    it('secret show --usage prints who read each version, not the value', async () => {
      const usage = await cli(['secret', 'show', '--vault', VAULT, '-n', 'db', '--usage', '-o', 'tsv']);
      expect(usage.code).toBe(0);
      expect(usage.stdout).toBe(`/vaults/prod/secrets/db\t${'a'.repeat(32)}\t${ID}\t2030-01-01T00:00:00.000Z\t2\n`);
      expect(coffer.requests.at(-1)).toMatchObject({ subject: AuthSubjects.audit('usage'), body: { objectId: '/vaults/prod/secrets/db' } });
      expect(subjects()).not.toContain(Subjects.secret(VAULT, 'get'));
    });

    it('Forbidden is exit 5', async () => {
      const show = await cli(['secret', 'show', '--vault', VAULT, '-n', 'db']);
      expect(show.code).toBe(5);
      expect(show.stderr).toBe('ERROR: (Forbidden/ForbiddenByRbac) Caller lacks getSecret on /vaults/prod/secrets/db.\n');
    });
  });
});
