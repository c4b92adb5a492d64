import { CofferClient } from '@coffer/client';
import { KeyBundle, SIGNATURE_SPECS, SignatureAlgorithm } from '@coffer/contracts';
import { dumpReadModel, filesContaining } from '@coffer/testing';
import {
  constants, createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, KeyObject, publicEncrypt, randomBytes,
  verify as nodeVerify,
} from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adminCredentials } from './auth-helpers';
import { InProcessStack, startInProcessStack } from './in-process-stack';
import { errorOf } from './error-of';

const b64u = (b: Buffer) => b.toString('base64url');
const fromB64u = (s: string) => Buffer.from(s, 'base64url');

/** The public key of a bundle as node:crypto sees it (kty without -HSM, no Coffer members). */
function publicKeyOf(bundle: KeyBundle): KeyObject {
  const { kty, n, e, crv, x, y } = bundle.key;
  const family = kty.replace(/-HSM$/, '');
  const jwk = family === 'RSA' ? { kty: family, n, e } : { kty: family, crv: crv === 'P-256K' ? 'secp256k1' : crv, x, y };
  return createPublicKey({ key: jwk as never, format: 'jwk' });
}

function nodeVerifies(bundle: KeyBundle, alg: SignatureAlgorithm, data: Buffer, signature: string): boolean {
  const spec = SIGNATURE_SPECS[alg];
  const key = publicKeyOf(bundle);
  if (spec.family === 'EC') return nodeVerify(spec.digest, data, { key, dsaEncoding: 'ieee-p1363' }, fromB64u(signature));
  const padding = spec.padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
  return nodeVerify(spec.digest, data, { key, padding, saltLength: spec.digestBytes }, fromB64u(signature));
}

/** SoftHSM's file backend keeps one .object file per token object: an independent count of HSM objects. */
function hsmObjectFiles(tokenDir: string): number {
  let count = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (entry.name.endsWith('.object')) count++;
    }
  };
  walk(tokenDir);
  return count;
}

describe('keys end to end (real SoftHSM, nats-server, SQLite)', () => {
  let stack: InProcessStack;
  let admin: CofferClient;
  const vault = 'keys-e2e';
  const keys = () => admin.keys(vault);

  beforeAll(async () => {
    stack = await startInProcessStack();
    admin = await CofferClient.connect({ url: stack.nats.url, timeoutMs: 30_000, credentials: adminCredentials(stack.home) });
    await admin.vaults.create(vault, { retentionDays: 7 });
  });
  afterAll(async () => {
    await admin?.close();
    await stack?.stop();
  });

  it('creates RSA, EC (all curves) and oct keys in the HSM and shows only public parts', async () => {
    const rsa = await keys().create('rsa', 'RSA', { size: 2048, tags: { app: 'x' } });
    expect(rsa.key).toMatchObject({ kid: `coffer://${vault}/keys/rsa/${rsa.version}`, kty: 'RSA-HSM', e: 'AQAB' });
    expect(fromB64u(rsa.key.n!)).toHaveLength(256);
    expect(rsa.key.key_ops).toEqual(expect.arrayContaining(['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey']));
    expect(rsa.attributes).toMatchObject({ enabled: true, exportable: false, recoverableDays: 7 });
    expect(JSON.stringify(rsa)).not.toMatch(/"(d|p|q|dp|dq|qi|k)"/);
    for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K'] as const) {
      const ec = await keys().create(`ec-${crv.toLowerCase()}`, 'EC', { curve: crv });
      expect(ec.key).toMatchObject({ kty: 'EC-HSM', crv });
      expect(publicKeyOf(ec).asymmetricKeyType).toBe('ec');
    }
    const oct = await keys().create('aes', 'oct-HSM', { size: 256 });
    expect(oct.key.kty).toBe('oct-HSM');
    expect(Object.keys(oct.key).sort()).toEqual(['key_ops', 'kid', 'kty']);
  });

  it('every signature algorithm verifies with node:crypto and with Coffer', async () => {
    const rsa = await keys().get('rsa');
    const data = Buffer.from('the quick brown fox');
    const byCurve: Record<string, KeyBundle> = {};
    for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K']) byCurve[crv] = await keys().get(`ec-${crv.toLowerCase()}`);
    for (const alg of Object.keys(SIGNATURE_SPECS) as SignatureAlgorithm[]) {
      const spec = SIGNATURE_SPECS[alg];
      const bundle = spec.family === 'RSA' ? rsa : byCurve[spec.curve!];
      const digest = createHash(spec.digest).update(data).digest();
      const signed = await keys().sign(bundle.name, alg, digest);
      expect(signed.kid).toBe(bundle.key.kid);
      expect(nodeVerifies(bundle, alg, data, signed.value)).toBe(true);
      expect((await keys().verify(bundle.name, alg, digest, signed.value)).value).toBe(true);
      const tampered = createHash(spec.digest).update('other').digest();
      expect((await keys().verify(bundle.name, alg, tampered, signed.value)).value).toBe(false);
    }
  });

  it('decrypts what node:crypto encrypted under the public key (OAEP, OAEP-256, PKCS#1 v1.5) and unwraps RSA-wrapped keys', async () => {
    const rsa = await keys().get('rsa');
    const key = publicKeyOf(rsa);
    const plain = randomBytes(32);
    const cases = [
      ['RSA-OAEP', publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plain)],
      ['RSA-OAEP-256', publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plain)],
      ['RSA1_5', publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plain)],
    ] as const;
    for (const [alg, ct] of cases) {
      expect(fromB64u((await keys().decrypt('rsa', alg, ct)).value)).toEqual(plain);
      expect(fromB64u((await keys().unwrapKey('rsa', alg, ct)).value)).toEqual(plain);
      const wrapped = await keys().wrapKey('rsa', alg, plain);
      expect(fromB64u((await keys().unwrapKey('rsa', alg, wrapped.value)).value)).toEqual(plain);
      const encrypted = await keys().encrypt('rsa', alg, plain);
      expect(fromB64u((await keys().decrypt('rsa', alg, encrypted.value)).value)).toEqual(plain);
    }
  });

  it('AES-GCM and AES key wrap interoperate with node:crypto for an imported known key', async () => {
    const k = randomBytes(32);
    await keys().import('known-aes', { kty: 'oct', k: b64u(k) });
    const aad = Buffer.from('context');
    const plain = Buffer.from('attack at dawn');
    const enc = await keys().encrypt('known-aes', 'A256GCM', plain, { aad });
    expect(enc.iv && enc.tag).toBeTruthy();
    const decipher = createDecipheriv('aes-256-gcm', k, fromB64u(enc.iv!));
    decipher.setAAD(aad);
    decipher.setAuthTag(fromB64u(enc.tag!));
    expect(Buffer.concat([decipher.update(fromB64u(enc.value)), decipher.final()])).toEqual(plain);

    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k, iv);
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    const dec = await keys().decrypt('known-aes', 'A256GCM', ct, { iv, tag: cipher.getAuthTag(), aad });
    expect(fromB64u(dec.value)).toEqual(plain);
    expect(await errorOf(keys().decrypt('known-aes', 'A256GCM', ct, { iv, tag: randomBytes(16), aad }))).toMatchObject({ code: 'BadParameter' });

    const dataKey = randomBytes(32);
    const wrapped = await keys().wrapKey('known-aes', 'A256KW', dataKey);
    const nodeWrapped = createCipheriv('id-aes256-wrap', k, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    expect(fromB64u(wrapped.value)).toEqual(Buffer.concat([nodeWrapped.update(dataKey), nodeWrapped.final()]));
    expect(fromB64u((await keys().unwrapKey('known-aes', 'A256KW', wrapped.value)).value)).toEqual(dataKey);
  });

  it('imports RSA and EC private keys (BYOK); signatures verify with the original public key', async () => {
    for (const [name, pair, alg] of [
      ['byok-rsa', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'PS256'],
      ['byok-ec', generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ES384'],
    ] as const) {
      const jwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const bundle = await keys().import(name, jwk);
      const spec = SIGNATURE_SPECS[alg];
      const data = randomBytes(100);
      const sig = await keys().sign(name, alg, createHash(spec.digest).update(data).digest());
      const opts = spec.family === 'EC' ? { key: pair.publicKey, dsaEncoding: 'ieee-p1363' as const } : { key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.digestBytes };
      expect(nodeVerify(spec.digest, data, opts, fromB64u(sig.value))).toBe(true);
      expect(JSON.stringify(bundle)).not.toContain(jwk.d);
    }
  });

  it('never writes private or secret key material to the event log, keyring or read model', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const k = randomBytes(32);
    await keys().import('planted-ec', jwk);
    await keys().import('planted-aes', { kty: 'oct', k: b64u(k) });
    await keys().backup('planted-ec');
    for (const needle of [fromB64u(jwk.d), k]) {
      expect(filesContaining(join(stack.home, 'nats'), needle)).toEqual([]);
      expect(filesContaining(stack.home, needle).filter((f) => !f.includes('/hsm/'))).toEqual([]);
    }
    expect(JSON.stringify(await dumpReadModel(stack.config.dbUrl))).not.toContain(jwk.d);
  });

  it('data keys, rewrap after rotation, random bytes and batches', async () => {
    const oct = await keys().create('kek', 'oct', { size: 256 });
    const dk = await keys().generateDataKey('kek', 'A256KW');
    expect(fromB64u(dk.plaintext!)).toHaveLength(32);
    expect(fromB64u((await keys().unwrapKey('kek', 'A256KW', dk.wrapped)).value)).toEqual(fromB64u(dk.plaintext!));
    const only = await keys().generateDataKey('kek', 'A256KW', { wrappedOnly: true, bytes: 16 });
    expect(only.plaintext).toBeUndefined();

    const rotated = await keys().rotate('kek');
    expect(rotated.version).not.toBe(oct.version);
    const rewrapped = await keys().rewrap('kek', oct.version, 'A256KW', dk.wrapped);
    expect(rewrapped.kid).toBe(rotated.key.kid);
    expect(rewrapped.value).not.toBe(dk.wrapped);
    expect(fromB64u((await keys().unwrapKey('kek', 'A256KW', rewrapped.value)).value)).toEqual(fromB64u(dk.plaintext!));
    expect(JSON.stringify(rewrapped)).not.toContain(dk.plaintext!);

    const rnd = await keys().random(64);
    expect(fromB64u(rnd.value)).toHaveLength(64);
    expect(await errorOf(keys().random(0))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().random(1025))).toMatchObject({ code: 'BadParameter' });

    const ec = await keys().get('ec-p-256');
    const digests = Array.from({ length: 20 }, (_, i) => createHash('sha256').update(String(i)).digest());
    const batch = await keys().signBatch('ec-p-256', 'ES256', [...digests, Buffer.alloc(5)]);
    expect(batch.items).toHaveLength(21);
    digests.forEach((_, i) => {
      const item = batch.items[i] as { value: string };
      expect(nodeVerifies(ec, 'ES256', Buffer.from(String(i)), item.value)).toBe(true);
    });
    expect(batch.items[20]).toMatchObject({ error: { code: 'BadParameter' } });
    const encBatch = await keys().encryptBatch('known-aes', 'A256GCM', [{ value: Buffer.from('a') }, { value: Buffer.from('b') }]);
    expect(encBatch.items).toHaveLength(2);
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const before = await keys().get('rsa');
    const digest32 = randomBytes(32);
    expect(await errorOf(keys().sign('rsa', 'ES256', digest32))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().sign('rsa', 'RS256', randomBytes(20)))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().sign('rsa', 'RS256', '***not base64url***'))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().encrypt('aes', 'A128GCM', Buffer.from('x')))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().decrypt('aes', 'A256GCM', randomBytes(16)))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().sign('rsa', 'RS256', digest32, { version: 'f'.repeat(32) }))).toMatchObject({ code: 'KeyNotFound' });
    expect(await errorOf(keys().sign('missing', 'RS256', digest32))).toMatchObject({ code: 'KeyNotFound' });
    expect(await errorOf(keys().create('bad-size', 'RSA', { size: 1024 }))).toMatchObject({ code: 'BadParameter' });
    expect(await errorOf(keys().create('bad-curve', 'EC', { curve: 'P-999' as never }))).toMatchObject({ code: 'BadParameter' });
    expect(await keys().get('rsa')).toEqual(before);
  });

  it('enforces key_ops, enabled and validity times (expired keys still decrypt and verify)', async () => {
    const k = await keys().create('limited', 'RSA', { keyOps: ['verify', 'decrypt'] });
    expect(await errorOf(keys().sign('limited', 'RS256', randomBytes(32)))).toMatchObject({ code: 'Forbidden' });
    await keys().updateProperties('limited', undefined, { keyOps: ['sign', 'verify', 'encrypt', 'decrypt'] });
    const digest = randomBytes(32);
    const sig = await keys().sign('limited', 'RS256', digest);
    const ct = await keys().encrypt('limited', 'RSA-OAEP', Buffer.from('hello'));

    await keys().updateProperties('limited', undefined, { expiresOn: new Date(Date.now() - 60_000) });
    expect(await errorOf(keys().sign('limited', 'RS256', digest))).toMatchObject({ code: 'Forbidden' });
    expect(await errorOf(keys().encrypt('limited', 'RSA-OAEP', Buffer.from('x')))).toMatchObject({ code: 'Forbidden' });
    expect((await keys().verify('limited', 'RS256', digest, sig.value)).value).toBe(true);
    expect(fromB64u((await keys().decrypt('limited', 'RSA-OAEP', ct.value)).value).toString()).toBe('hello');

    await keys().updateProperties('limited', k.version, { enabled: false, expiresOn: new Date(Date.now() + 86_400_000) });
    expect(await errorOf(keys().decrypt('limited', 'RSA-OAEP', ct.value))).toMatchObject({ code: 'Forbidden' });
    expect(await errorOf(keys().verify('limited', 'RS256', digest, sig.value))).toMatchObject({ code: 'Forbidden' });
  });

  it('lists, versions, soft-deletes, recovers; purge destroys the HSM objects; backup → purge → restore works', async () => {
    const v1 = await keys().create('life', 'EC', { curve: 'P-256' });
    const v2 = await keys().rotate('life');
    const names: string[] = [];
    for await (const item of keys().list()) names.push(item.name);
    expect(names).toEqual(expect.arrayContaining(['rsa', 'life', 'aes']));
    const versions: string[] = [];
    for await (const item of keys().listVersions('life')) versions.push(item.version!);
    expect(versions.sort()).toEqual([v1.version, v2.version].sort());

    const digest = createHash('sha256').update('backup me').digest();
    const blob = await keys().backup('life');
    const deleted = await keys().delete('life');
    expect(deleted).toMatchObject({ name: 'life', recoveryId: expect.any(String) });
    expect(await errorOf(keys().get('life'))).toMatchObject({ code: 'KeyNotFound' });
    expect((await keys().getDeleted('life')).name).toBe('life');
    await keys().recover('life');
    expect((await keys().get('life')).version).toBe(v2.version);

    const tokenDir = join(stack.token.dir, 'tokens');
    const before = hsmObjectFiles(tokenDir);
    await keys().delete('life');
    await keys().purge('life');
    // Two versions, each a private and a public object.
    expect(before - hsmObjectFiles(tokenDir)).toBe(4);
    expect(await errorOf(keys().getDeleted('life'))).toMatchObject({ code: 'KeyNotFound' });

    const restored = await keys().restore(blob);
    expect(restored.name).toBe('life');
    const sig = await keys().sign('life', 'ES256', digest, { version: v1.version });
    expect(nodeVerifies(v1, 'ES256', Buffer.from('backup me'), sig.value)).toBe(true);
    expect(await errorOf(keys().restore(blob))).toMatchObject({ code: 'Conflict' });
  });

  it('rotation policy round-trips and is validated', async () => {
    await keys().create('rotating', 'oct');
    const set = await keys().setRotationPolicy('rotating', {
      lifetimeActions: [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } }, { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }],
      expiryTime: 'P1Y',
    });
    expect(set.id).toBe(`coffer://${vault}/keys/rotating/rotationpolicy`);
    expect(await keys().getRotationPolicy('rotating')).toMatchObject({ lifetimeActions: set.lifetimeActions, attributes: { expiryTime: 'P1Y' } });
    expect(await errorOf(keys().setRotationPolicy('rotating', { lifetimeActions: [{ trigger: { timeAfterCreate: '90 days' }, action: { type: 'Rotate' } }] })))
      .toMatchObject({ code: 'BadParameter' });
  });

  describe('RBAC', () => {
    const clients: CofferClient[] = [];
    const as = async (name: string, role: string): Promise<CofferClient> => {
      const p = await admin.principals.create(name, 'servicePrincipal');
      const cred = await admin.principals.addCredential(p.id, { kind: 'secret' });
      await admin.roleAssignments.create({ principalId: p.id, role, scope: `/vaults/${vault}` });
      const c = await CofferClient.connect({ url: stack.nats.url, credentials: { clientId: p.id, clientSecret: cred.clientSecret! } });
      clients.push(c);
      return c;
    };
    afterAll(async () => Promise.all(clients.map((c) => c.close())));

    it('Crypto User signs but cannot delete; Service Encryption User only wraps/unwraps and reads; Reader sees the public key only', async () => {
      const digest = randomBytes(32);
      const user = (await as('crypto-user', 'Key Vault Crypto User')).keys(vault);
      expect((await user.sign('rsa', 'RS256', digest)).value).toBeTruthy();
      expect(await errorOf(user.delete('rsa'))).toMatchObject({ code: 'Forbidden' });

      const svc = (await as('svc-enc', 'Key Vault Crypto Service Encryption User')).keys(vault);
      const wrapped = await svc.wrapKey('rsa', 'RSA-OAEP', randomBytes(32));
      expect((await svc.unwrapKey('rsa', 'RSA-OAEP', wrapped.value)).value).toBeTruthy();
      expect((await svc.get('rsa')).key.n).toBeTruthy();
      expect(await errorOf(svc.sign('rsa', 'RS256', digest))).toMatchObject({ code: 'Forbidden' });
      expect(await errorOf(svc.encrypt('rsa', 'RSA-OAEP', Buffer.from('x')))).toMatchObject({ code: 'Forbidden' });

      const reader = (await as('key-reader', 'Key Vault Reader')).keys(vault);
      expect((await reader.get('rsa')).key.n).toBeTruthy();
      expect(await errorOf(reader.sign('rsa', 'RS256', digest))).toMatchObject({ code: 'Forbidden' });
      expect(await errorOf(reader.create('nope', 'oct'))).toMatchObject({ code: 'Forbidden' });
    });
  });
});
