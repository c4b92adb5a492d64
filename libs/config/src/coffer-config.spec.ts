import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, natsClientOptions, natsConnectOptions, natsMaxPayload, natsUrlWithCredentials, parseNatsUrl, redactNatsUrl } from './coffer-config';

describe('NATS connection settings', () => {
  let dir: string;
  const file = (name: string, content = 'x') => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('parseNatsUrl / redactNatsUrl / natsUrlWithCredentials', () => {
    it('splits user and password out of the URL (nats.js would misread them as host and port)', () => {
      expect(parseNatsUrl('nats://coffer-client:9f00@127.0.0.1:4333')).toEqual({ servers: ['nats://127.0.0.1:4333'], user: 'coffer-client', pass: '9f00' });
    });
    it('reads a lone userinfo as a token, keeps several servers, and plain URLs unchanged', () => {
      expect(parseNatsUrl('nats://s3cret@a:1, nats://b:2')).toEqual({ servers: ['nats://a:1', 'nats://b:2'], token: 's3cret' });
      expect(parseNatsUrl('nats://127.0.0.1:4333')).toEqual({ servers: ['nats://127.0.0.1:4333'] });
      expect(parseNatsUrl('127.0.0.1:4333')).toEqual({ servers: ['127.0.0.1:4333'] });
    });
    it('redacts passwords and tokens', () => {
      expect(redactNatsUrl('nats://coffer-client:9f00@127.0.0.1:4333')).toBe('nats://coffer-client:***@127.0.0.1:4333');
      expect(redactNatsUrl('nats://tok@a:1,nats://u:p@b:2')).toBe('nats://***@a:1,nats://u:***@b:2');
      expect(redactNatsUrl('nats://127.0.0.1:4333')).toBe('nats://127.0.0.1:4333');
    });
    it('builds the client URL start.sh writes', () => {
      const url = natsUrlWithCredentials('nats://127.0.0.1:4333', 'coffer-client', 'ab/c');
      expect(url).toBe('nats://coffer-client:ab%2Fc@127.0.0.1:4333');
      expect(parseNatsUrl(url)).toMatchObject({ user: 'coffer-client', pass: 'ab/c' });
    });
  });

  describe('natsConnectOptions (internal apps)', () => {
    it('embedded default without settings: servers only, reconnect forever, noAsyncTraces', () => {
      const config = loadConfig({ COFFER_HOME: dir, COFFER_NATS_URL: 'nats://127.0.0.1:4333' });
      expect(natsConnectOptions(config, 'coffer-vault')).toEqual({
        servers: ['nats://127.0.0.1:4333'], name: 'coffer-vault', noAsyncTraces: true, maxReconnectAttempts: -1, reconnectTimeWait: 250,
      });
    });
    it('user and password from COFFER_NATS_USER and COFFER_NATS_PASSWORD_FILE win over the URL', () => {
      const config = loadConfig({
        COFFER_HOME: dir,
        COFFER_NATS_URL: 'nats://coffer-client:clientpw@127.0.0.1:4333',
        COFFER_NATS_USER: 'coffer-vault',
        COFFER_NATS_PASSWORD_FILE: file('coffer-vault.pass', 'vaultpw\n'),
      });
      // Its inbox prefix is its user's: the only inboxes it may read, and the only ones responders answer.
      expect(natsConnectOptions(config)).toMatchObject({ servers: ['nats://127.0.0.1:4333'], user: 'coffer-vault', pass: 'vaultpw', inboxPrefix: '_INBOX_coffer-vault' });
    });
    it('a responder and a hook-sender identity from COFFER_NATS_RESPONDER_* / COFFER_NATS_HOOKS_*, with the main TLS settings', () => {
      const ca = file('ca.pem');
      const config = loadConfig({
        COFFER_HOME: dir, COFFER_NATS_USER: 'coffer-vault', COFFER_NATS_PASSWORD: 'v', COFFER_NATS_TLS_CA: ca,
        COFFER_NATS_RESPONDER_USER: 'coffer-vault-responder', COFFER_NATS_RESPONDER_PASSWORD_FILE: file('r.pass', 'rpw\n'),
        COFFER_NATS_HOOKS_USER: 'coffer-scheduler-hooks', COFFER_NATS_HOOKS_PASSWORD: 'hpw',
      });
      expect(config.natsResponder).toEqual({ user: 'coffer-vault-responder', password: 'rpw', tls: { caFile: ca } });
      expect(config.natsHooks).toEqual({ user: 'coffer-scheduler-hooks', password: 'hpw', tls: { caFile: ca } });
      expect(natsConnectOptions({ natsUrl: config.natsUrl, nats: config.natsResponder })).toMatchObject({ user: 'coffer-vault-responder', inboxPrefix: '_INBOX_coffer-vault-responder' });
      expect(loadConfig({ COFFER_HOME: dir }).natsResponder).toBeUndefined();
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_RESPONDER_PASSWORD: 'x' })).toThrow(ConfigError);
    });
    it('natsMaxPayload: COFFER_NATS_MAX_PAYLOAD in bytes, KB or MB; 2 MB by default; 64 KB to 64 MB', () => {
      expect(natsMaxPayload({})).toBe(2 * 1024 * 1024);
      expect(natsMaxPayload({ COFFER_NATS_MAX_PAYLOAD: '1MB' })).toBe(1024 * 1024);
      expect(natsMaxPayload({ COFFER_NATS_MAX_PAYLOAD: '512KB' })).toBe(512 * 1024);
      expect(natsMaxPayload({ COFFER_NATS_MAX_PAYLOAD: '100000' })).toBe(100000);
      for (const bad of ['1GB', '10', 'lots', '128MB']) expect(() => natsMaxPayload({ COFFER_NATS_MAX_PAYLOAD: bad })).toThrow(ConfigError);
    });
    it('COFFER_NATS_PASSWORD wins over the file; the URL credentials serve when nothing is set', () => {
      const env = { COFFER_HOME: dir, COFFER_NATS_USER: 'u', COFFER_NATS_PASSWORD: 'direct', COFFER_NATS_PASSWORD_FILE: file('p', 'fromfile') };
      expect(loadConfig(env).nats.password).toBe('direct');
      expect(natsConnectOptions(loadConfig({ COFFER_HOME: dir, COFFER_NATS_URL: 'nats://a:b@h:1' }))).toMatchObject({ user: 'a', pass: 'b' });
      expect(natsConnectOptions(loadConfig({ COFFER_HOME: dir, COFFER_NATS_URL: 'nats://h:1', COFFER_NATS_TOKEN: 't' }))).toMatchObject({ token: 't' });
    });
    it('the embedded default URL file (client URL) is parsed too', () => {
      writeFileSync(join(dir, 'nats.url'), 'nats://coffer-client:pw@127.0.0.1:5000\n');
      const config = loadConfig({ COFFER_HOME: dir });
      expect(natsConnectOptions(config)).toMatchObject({ servers: ['nats://127.0.0.1:5000'], user: 'coffer-client', pass: 'pw' });
    });
    it('TLS: CA, certificate and key files when COFFER_NATS_TLS_* are set (the vault infra provider path)', () => {
      const [ca, cert, key] = [file('ca.pem'), file('cert.pem'), file('key.pem')];
      const config = loadConfig({ COFFER_HOME: dir, COFFER_NATS_URL: 'nats://h:1', COFFER_NATS_TLS_CA: ca, COFFER_NATS_TLS_CERT: cert, COFFER_NATS_TLS_KEY: key });
      expect(natsConnectOptions(config).tls).toEqual({ caFile: ca, certFile: cert, keyFile: key });
      expect(natsConnectOptions(loadConfig({ COFFER_HOME: dir, COFFER_NATS_TLS_CA: ca })).tls).toEqual({ caFile: ca });
      expect(natsConnectOptions(loadConfig({ COFFER_HOME: dir })).tls).toBeUndefined();
    });
    it('refuses inconsistent settings with a ConfigError naming the variable', () => {
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_TLS_CERT: file('c') })).toThrow(/COFFER_NATS_TLS_CERT and COFFER_NATS_TLS_KEY/);
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_TLS_CA: join(dir, 'missing.pem') })).toThrow(ConfigError);
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_USER: 'u', COFFER_NATS_PASSWORD_FILE: join(dir, 'nope') })).toThrow(/COFFER_NATS_PASSWORD_FILE/);
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_PASSWORD: 'p' })).toThrow(/COFFER_NATS_USER/);
      expect(() => loadConfig({ COFFER_HOME: dir, COFFER_NATS_USER: 'u', COFFER_NATS_TOKEN: 't' })).toThrow(/not both/);
    });
  });

  describe('natsClientOptions (SDK, CLI)', () => {
    it('takes credentials from the URL (with the user\'s own inbox prefix) and TLS files from the environment', () => {
      const ca = file('ca.pem');
      expect(natsClientOptions('nats://coffer-client:pw@127.0.0.1:4333', { COFFER_NATS_TLS_CA: ca })).toEqual({
        servers: ['nats://127.0.0.1:4333'], user: 'coffer-client', pass: 'pw', inboxPrefix: '_INBOX_coffer-client', noAsyncTraces: true, tls: { caFile: ca },
      });
      expect(natsClientOptions('nats://127.0.0.1:4333', {})).toEqual({ servers: ['nats://127.0.0.1:4333'], noAsyncTraces: true });
    });
  });
});
