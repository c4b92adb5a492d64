import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { createKeyPair, credentialsFromEnv, parseCredentials, publicKeyOfSeed, readCredentialsFile, signNonce } from './credentials';

const ID = 'p-0123456789abcdef';
const SECRET = 's'.repeat(32);

describe('parseCredentials', () => {
  const { seed } = createKeyPair();

  it.each([
    [{ clientId: ID, clientSecret: SECRET }, { clientId: ID, clientSecret: SECRET }],
    [{ clientId: ID, seed }, { clientId: ID, seed }],
    [{ clientId: ` ${ID} `, seed: `${seed}\n` }, { clientId: ID, seed }],
    [{ token: 'abc' }, { token: 'abc' }],
    [{ accessToken: 'abc', expiresOn: 'x' }, { token: 'abc' }],
  ])('accepts %j', (input, expected) => {
    expect(parseCredentials(input)).toEqual(expected);
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ clientSecret: SECRET }, /no clientId/],
    [{ clientId: ID }, /neither clientSecret nor seed/],
    [{ clientId: ID, clientSecret: SECRET, seed }, /both/],
    [{ clientId: ID, seed: 'SUnotaseed' }, /not a NATS nkey seed/],
    [{ clientId: ID, seed: 'UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4' }, /not a NATS nkey seed/],
  ])('refuses %j as BadParameter', (input, message) => {
    expect(() => parseCredentials(input, 'f')).toThrow(expect.objectContaining({ code: 'BadParameter', message: expect.stringMatching(message) }));
  });
});

describe('credential files and the environment', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'coffer-creds-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  it('reads an admin.credentials file', () => {
    expect(readCredentialsFile(file('admin.credentials', JSON.stringify({ clientId: ID, clientSecret: SECRET })))).toEqual({ clientId: ID, clientSecret: SECRET });
  });

  it('names the file when it is missing or not JSON', () => {
    expect(() => readCredentialsFile(join(dir, 'nope'))).toThrow(/cannot read credentials file .*nope: ENOENT/);
    expect(() => readCredentialsFile(file('bad', '{'))).toThrow(/credentials file .*bad is not JSON/);
  });

  it('COFFER_TOKEN wins over COFFER_CREDENTIALS; neither means none', () => {
    const path = file('c.json', JSON.stringify({ clientId: ID, clientSecret: SECRET }));
    expect(credentialsFromEnv({ COFFER_TOKEN: 'tok', COFFER_CREDENTIALS: path })).toEqual({ token: 'tok' });
    expect(credentialsFromEnv({ COFFER_CREDENTIALS: path })).toEqual({ clientId: ID, clientSecret: SECRET });
    expect(credentialsFromEnv({ COFFER_TOKEN: '  ', COFFER_CREDENTIALS: '' })).toBeUndefined();
    expect(credentialsFromEnv({})).toBeUndefined();
  });

  it('a COFFER_CREDENTIALS that cannot be read is an error, not silently anonymous', () => {
    expect(() => credentialsFromEnv({ COFFER_CREDENTIALS: join(dir, 'missing.json') })).toThrow(/cannot read/);
  });
});

describe('Ed25519 nkeys', () => {
  it('signs the UTF-8 bytes of the nonce; the signature verifies with the public key', () => {
    const { seed, publicKey } = createKeyPair();
    expect(seed).toMatch(/^SU[A-Z2-7]+$/);
    expect(publicKey).toMatch(/^U[A-Z2-7]+$/);
    expect(publicKeyOfSeed(seed)).toBe(publicKey);
    const nonce = 'nonce-ü-123';
    const signature = signNonce(seed, nonce);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(nkeys.fromPublic(publicKey).verify(Buffer.from(nonce, 'utf8'), Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('refuses something that is not a seed', () => {
    expect(() => signNonce('nope', 'n')).toThrow(expect.objectContaining({ code: 'BadParameter' }));
  });
});
