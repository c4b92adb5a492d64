import { ClientSecretCredential } from '@azure/identity';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { constants, createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { GatewayStack, restErrorOf, startGatewayStack, TENANT } from './gateway-stack';

/** The unmodified @azure/keyvault-keys KeyClient and CryptographyClient through the gateway; every crypto result checked with node:crypto. */
describe('gateway: @azure/keyvault-keys', () => {
  const vault = 'keys-demo';
  let g: GatewayStack;
  let keys: KeyClient;
  let credential: ClientSecretCredential;

  beforeAll(async () => {
    g = await startGatewayStack();
    await g.admin.vaults.create(vault, { retentionDays: 7 });
    const p = await g.admin.principals.create('keys-app', 'servicePrincipal');
    const secret = (await g.admin.principals.addCredential(p.id, { kind: 'secret' })).clientSecret!;
    await g.admin.roleAssignments.create({ principalId: p.id, role: 'Key Vault Crypto Officer', scope: `/vaults/${vault}` });
    credential = new ClientSecretCredential(TENANT, p.id, secret, { authorityHost: g.authorityHost, disableInstanceDiscovery: true, ...g.sdkOptions });
    keys = new KeyClient(g.vaultUrl(vault), credential, g.sdkOptions);
  });
  afterAll(async () => g?.stop());

  it('EC: create, get; sign with CryptographyClient, verified with node:crypto; verify through the service', async () => {
    const created = await keys.createEcKey('signer', { curve: 'P-256', tags: { use: 'sign' } });
    expect(created.id).toBe(`${g.vaultUrl(vault)}/keys/signer/${created.properties.version}`);
    expect(created.keyType).toBe('EC-HSM');
    expect((await keys.getKey('signer')).key!.x).toEqual(created.key!.x);
    const viaNats = await g.admin.keys(vault).get('signer');
    expect(Buffer.from(created.key!.x!).toString('base64url')).toBe(viaNats.key.x);

    const crypto = new CryptographyClient(created, credential, g.sdkOptions);
    const digest = createHash('sha256').update('hello').digest();
    const signed = await crypto.sign('ES256', digest);
    expect(signed.keyID).toBe(created.id);
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: viaNats.key.x, y: viaNats.key.y }, format: 'jwk' });
    expect(verify('sha256', Buffer.from('hello'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);
    expect((await crypto.verify('ES256', digest, signed.result)).result).toBe(true);
    const tampered = Buffer.from(signed.result);
    tampered[0] ^= 1;
    expect((await crypto.verify('ES256', digest, tampered)).result).toBe(false);
  });

  it('RSA: encrypt (RSA-OAEP-256) and decrypt in the HSM, wrap/unwrap, RS256 signatures verified with node:crypto', async () => {
    const created = await keys.createRsaKey('rsa', { keySize: 2048 });
    const crypto = new CryptographyClient(created.id!, credential, g.sdkOptions);
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(created.key!.n!).toString('base64url'), e: Buffer.from(created.key!.e!).toString('base64url') }, format: 'jwk' });
    // Encrypted independently with the public key, decrypted by Coffer's HSM through the gateway.
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('top secret'));
    expect(Buffer.from((await crypto.decrypt({ algorithm: 'RSA-OAEP-256', ciphertext })).result).toString()).toBe('top secret');
    const encrypted = await crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext: Buffer.from('round trip') });
    expect(Buffer.from((await crypto.decrypt({ algorithm: 'RSA-OAEP', ciphertext: encrypted.result })).result).toString()).toBe('round trip');
    const wrapped = await crypto.wrapKey('RSA-OAEP', Buffer.alloc(32, 7));
    expect(Buffer.from((await crypto.unwrapKey('RSA-OAEP', wrapped.result)).result)).toEqual(Buffer.alloc(32, 7));
    const digest = createHash('sha256').update('data').digest();
    const signed = await crypto.sign('RS256', digest);
    expect(verify('sha256', Buffer.from('data'), publicKey, Buffer.from(signed.result))).toBe(true);
  });

  it('import (BYOK), rotate, rotation policy, random bytes, backup and restore', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const b = (v: string | undefined) => Buffer.from(v!, 'base64url');
    const imported = await keys.importKey('byok', { kty: 'EC', crv: 'P-256', x: b(jwk.x), y: b(jwk.y), d: b(jwk.d), keyOps: ['sign', 'verify'] });
    expect(Buffer.from(imported.key!.x!).toString('base64url')).toBe(jwk.x);
    expect(imported.key!.d).toBeUndefined();
    const signed = await new CryptographyClient(imported, credential, g.sdkOptions).sign('ES256', createHash('sha256').update('byok').digest());
    expect(verify('sha256', Buffer.from('byok'), { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);

    const policy = await keys.updateKeyRotationPolicy('byok', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }], expiresIn: 'P90D' });
    expect(policy.lifetimeActions).toEqual([{ action: 'Rotate', timeAfterCreate: 'P30D' }]);
    expect((await keys.getKeyRotationPolicy('byok')).expiresIn).toBe('P90D');
    const rotated = await keys.rotateKey('byok');
    expect(rotated.properties.version).not.toBe(imported.properties.version);
    expect((await g.admin.keys(vault).listVersionsPage('byok')).value).toHaveLength(2);

    const random = await keys.getRandomBytes(32);
    expect(random).toHaveLength(32);
    expect(Buffer.from(random).equals(Buffer.alloc(32))).toBe(false);

    const backup = await keys.backupKey('byok');
    await (await keys.beginDeleteKey('byok', { intervalInMs: 50 })).pollUntilDone();
    await keys.purgeDeletedKey('byok');
    const restored = await keys.restoreKeyBackup(backup!);
    expect(restored.name).toBe('byok');
    expect(Buffer.from((await keys.getKey('byok', { version: imported.properties.version })).key!.x!).toString('base64url')).toBe(jwk.x);
  });

  it('list, update, delete (poller) and recover (poller), purge; a missing key is 404', async () => {
    await keys.createEcKey('temp', { curve: 'P-384' });
    const names: string[] = [];
    for await (const k of keys.listPropertiesOfKeys()) names.push(k.name);
    expect(names).toEqual(expect.arrayContaining(['signer', 'rsa', 'temp']));
    const updated = await keys.updateKeyProperties('temp', { tags: { phase: 'two' } });
    expect(updated.properties.tags).toEqual({ phase: 'two' });
    const deleted = await (await keys.beginDeleteKey('temp', { intervalInMs: 50 })).pollUntilDone();
    expect(deleted.properties.recoveryId).toBe(`${g.vaultUrl(vault)}/deletedkeys/temp`);
    expect((await restErrorOf(keys.getKey('temp'))).statusCode).toBe(404);
    await (await keys.beginRecoverDeletedKey('temp', { intervalInMs: 50 })).pollUntilDone();
    expect((await keys.getKey('temp')).name).toBe('temp');
    await (await keys.beginDeleteKey('temp', { intervalInMs: 50 })).pollUntilDone();
    await keys.purgeDeletedKey('temp');
    expect((await restErrorOf(keys.getDeletedKey('temp'))).statusCode).toBe(404);
  });

  it('oct (AES) keys: create; an imported key encrypts (A256GCM) and wraps (A256KW) in the HSM, checked with node:crypto', async () => {
    const created = await keys.createOctKey('aes-made', { keySize: 256 });
    expect(created.keyType).toBe('oct-HSM');
    const roundTrip = new CryptographyClient(created, credential, g.sdkOptions);
    const sealed = await roundTrip.encrypt({ algorithm: 'A256GCM', plaintext: Buffer.from('aes round trip') });
    expect(Buffer.from((await roundTrip.decrypt({ algorithm: 'A256GCM', ciphertext: sealed.result, iv: sealed.iv!, authenticationTag: sealed.authenticationTag! })).result).toString()).toBe('aes round trip');

    const k = randomBytes(32);
    const imported = await keys.importKey('aes-known', { kty: 'oct-HSM', k, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] });
    const aes = new CryptographyClient(imported, credential, g.sdkOptions);
    const aad = Buffer.from('header');
    const encrypted = await aes.encrypt({ algorithm: 'A256GCM', plaintext: Buffer.from('checked by node'), additionalAuthenticatedData: aad });
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(encrypted.iv!));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(encrypted.authenticationTag!));
    expect(Buffer.concat([decipher.update(Buffer.from(encrypted.result)), decipher.final()]).toString()).toBe('checked by node');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k, iv);
    const ciphertext = Buffer.concat([cipher.update('sealed by node'), cipher.final()]);
    const decrypted = await aes.decrypt({ algorithm: 'A256GCM', ciphertext, iv, authenticationTag: cipher.getAuthTag() });

    expect(Buffer.from(decrypted.result).toString()).toBe('sealed by node');

    const cek = randomBytes(32);
    const wrapped = await aes.wrapKey('A256KW', cek);
    const unwrapper = createDecipheriv('id-aes256-wrap', k, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    expect(Buffer.concat([unwrapper.update(Buffer.from(wrapped.result)), unwrapper.final()]).equals(cek)).toBe(true);
    expect(Buffer.from((await aes.unwrapKey('A256KW', wrapped.result)).result).equals(cek)).toBe(true);
  });

  it('signData/verifyData and getCryptographyClient; listDeletedKeys pages', async () => {
    const crypto = keys.getCryptographyClient('signer');
    const signed = await crypto.signData('ES256', Buffer.from('whole message'));
    const viaNats = await g.admin.keys(vault).get('signer');
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: viaNats.key.x, y: viaNats.key.y }, format: 'jwk' });
    expect(verify('sha256', Buffer.from('whole message'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signed.result))).toBe(true);
    expect((await crypto.verifyData('ES256', Buffer.from('whole message'), signed.result)).result).toBe(true);
    expect((await crypto.verifyData('ES256', Buffer.from('another message'), signed.result)).result).toBe(false);

    for (const name of ['gone-1', 'gone-2', 'gone-3']) {
      await keys.createEcKey(name, { curve: 'P-256' });
      await (await keys.beginDeleteKey(name, { intervalInMs: 50 })).pollUntilDone();
    }
    const pages: string[][] = [];
    for await (const page of keys.listDeletedKeys().byPage({ maxPageSize: 2 })) pages.push(page.map((d) => d.name));
    expect(pages.flat()).toEqual(expect.arrayContaining(['gone-1', 'gone-2', 'gone-3']));
    expect(pages[0]).toHaveLength(2);
    const deleted = (await keys.listDeletedKeys().next()).value!;
    expect(deleted.properties.recoveryId).toBe(`${g.vaultUrl(vault)}/deletedkeys/${deleted.name}`);
  });

  it('release, attestation and exportable keys are refused with Azure errors (Coffer keys never leave the HSM); a missing key is 404', async () => {
    const release = await restErrorOf(keys.releaseKey('signer', 'an-attestation-token'));
    expect({ status: release.statusCode, code: release.code }).toEqual({ status: 400, code: 'BadParameter' });
    expect(release.message).toContain('no release policy');
    const versioned = await restErrorOf(keys.releaseKey('signer', 'an-attestation-token', { version: (await keys.getKey('signer')).properties.version }));
    expect(versioned.statusCode).toBe(400);
    expect((await restErrorOf(keys.releaseKey('no-such-key', 'an-attestation-token'))).statusCode).toBe(404);
    expect(await restErrorOf(keys.getKeyAttestation('signer'))).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect((await restErrorOf(keys.getKeyAttestation('no-such-key'))).statusCode).toBe(404);
    expect(await restErrorOf(keys.createRsaKey('exportable', { exportable: true, releasePolicy: { encodedPolicy: Buffer.from('{}') } }))).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect((await restErrorOf(keys.getKey('exportable'))).statusCode).toBe(404);
  });
});
