import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteTokenCache, isLocalNatsUrl, readTokenCache, resolveCredentials, sameNatsUrl, TokenCache, tokenCachePath, writeTokenCache,
} from './credential-sources';

const ID = 'p-0123456789abcdef';
const URL = 'nats://127.0.0.1:4333';
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('resolveCredentials: precedence', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const adminFile = () => join(dir, 'home', 'admin.credentials');
  const cache = (over: Partial<TokenCache> = {}): TokenCache => ({
    natsUrl: URL, accessToken: 'cached', tokenType: 'Bearer', expiresOn: new Date(NOW + 600_000).toISOString(), created: 'x', ...over,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-cli-creds-'));
    mkdirSync(join(dir, 'home'));
    env = { HOME: dir, COFFER_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config') };
    writeFileSync(join(dir, 'env.credentials'), JSON.stringify({ clientId: ID, clientSecret: 'from-env-file-secret' }));
    writeFileSync(adminFile(), JSON.stringify({ clientId: ID, clientSecret: 'admin-secret-admin-secret' }), { mode: 0o600 });
    writeTokenCache(tokenCachePath(env), cache());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (token?: string, natsUrl = URL) => resolveCredentials({ token, natsUrl, env, now: NOW });

  it('1. --token wins over everything', () => {
    env.COFFER_TOKEN = 'env-token';
    env.COFFER_CREDENTIALS = join(dir, 'env.credentials');
    expect(resolve('flag-token')).toMatchObject({ source: 'token-option', credentials: { token: 'flag-token' } });
  });

  it('2. then $COFFER_TOKEN', () => {
    env.COFFER_TOKEN = 'env-token';
    env.COFFER_CREDENTIALS = join(dir, 'env.credentials');
    expect(resolve()).toMatchObject({ source: 'env-token', credentials: { token: 'env-token' } });
  });

  it('3. then $COFFER_CREDENTIALS (exchanged for a fresh token each run); an unreadable one is an error', () => {
    env.COFFER_CREDENTIALS = join(dir, 'env.credentials');
    expect(resolve()).toMatchObject({ source: 'env-credentials', credentials: { clientId: ID, clientSecret: 'from-env-file-secret' } });
    env.COFFER_CREDENTIALS = join(dir, 'missing');
    expect(() => resolve()).toThrow(/cannot read credentials file/);
  });

  it('4. then the login cache, for the same NATS URL and not expired', () => {
    expect(resolve()).toMatchObject({ source: 'login', credentials: { token: 'cached' }, notes: [] });
    expect(resolve(undefined, 'nats://127.0.0.1:4333/')).toMatchObject({ source: 'login' });
  });

  it('5. then the embedded admin.credentials when the login cache is for another server', () => {
    expect(resolve(undefined, 'nats://127.0.0.1:9999')).toMatchObject({
      source: 'embedded', credentials: { clientId: ID, clientSecret: 'admin-secret-admin-secret' }, path: adminFile(), notes: [],
    });
  });

  it('an expired login falls through, with a note saying so', () => {
    writeTokenCache(tokenCachePath(env), cache({ expiresOn: new Date(NOW + 5_000).toISOString() }));
    const resolved = resolve();
    expect(resolved.source).toBe('embedded');
    expect(resolved.notes).toEqual([expect.stringMatching(/login token for .* expired .*coffer login/)]);
  });

  it('6. nothing: no credentials (no Authorization header)', () => {
    rmSync(adminFile());
    deleteTokenCache(tokenCachePath(env));
    expect(resolve()).toEqual({ source: 'none', notes: [] });
  });

  it('the admin secret is never offered to a server that is not local', () => {
    expect(resolve(undefined, 'nats://vault.example.com:4222').source).toBe('none');
  });

  it('a malformed admin.credentials is an error, not silently anonymous', () => {
    writeFileSync(adminFile(), '{"clientId":');
    deleteTokenCache(tokenCachePath(env));
    expect(() => resolve()).toThrow(/admin.credentials/);
  });
});

describe('token cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'coffer-cli-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in $XDG_CONFIG_HOME/coffer/token.json, else ~/.config/coffer/token.json', () => {
    expect(tokenCachePath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/coffer/token.json');
    expect(tokenCachePath({ HOME: '/h' })).toBe('/h/.config/coffer/token.json');
    expect(tokenCachePath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/coffer/token.json');
  });

  it('is written 0600 in a 0700 directory, replacing an older one (whatever its mode), and read back', () => {
    const path = join(dir, 'cfg', 'coffer', 'token.json');
    const entry: TokenCache = { natsUrl: URL, accessToken: 'a', tokenType: 'Bearer', expiresOn: '2030-01-01T00:00:00.000Z', created: 'c' };
    mkdirSync(join(dir, 'cfg', 'coffer'), { recursive: true });
    writeFileSync(path, 'old', { mode: 0o644 });
    writeTokenCache(path, entry);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readTokenCache(path)).toEqual(entry);
    writeTokenCache(join(dir, 'new', 'coffer', 'token.json'), entry);
    expect(statSync(join(dir, 'new', 'coffer')).mode & 0o777).toBe(0o700);
  });

  it('a missing or malformed cache reads as none; delete says whether there was one', () => {
    const path = join(dir, 'token.json');
    expect(readTokenCache(path)).toBeUndefined();
    writeFileSync(path, '{"accessToken": 1}');
    expect(readTokenCache(path)).toBeUndefined();
    expect(deleteTokenCache(path)).toBe(true);
    expect(deleteTokenCache(path)).toBe(false);
  });
});

describe('NATS URLs', () => {
  it('compares loosely', () => {
    expect(sameNatsUrl('nats://127.0.0.1:4333', '127.0.0.1:4333')).toBe(true);
    expect(sameNatsUrl('NATS://Host:1/', 'nats://host:1')).toBe(true);
    expect(sameNatsUrl('nats://a:1', 'nats://a:2')).toBe(false);
  });

  it('local: loopback, or the embedded server URL in $COFFER_HOME/nats.url', () => {
    const home = mkdtempSync(join(tmpdir(), 'coffer-cli-home-'));
    writeFileSync(join(home, 'nats.url'), 'nats://10.0.0.5:4333\n');
    const env = { COFFER_HOME: home };
    expect(isLocalNatsUrl('nats://127.0.0.1:1', env)).toBe(true);
    expect(isLocalNatsUrl('nats://localhost:4222', env)).toBe(true);
    expect(isLocalNatsUrl('nats://10.0.0.5:4333', env)).toBe(true);
    expect(isLocalNatsUrl('nats://10.0.0.6:4333', env)).toBe(false);
    rmSync(home, { recursive: true, force: true });
  });
});
