import { INestMicroservice } from '@nestjs/common';
import { loadConfig } from '@coffer/config';
import { CryptoOp, InternalSubjects, SIGNATURE_SPECS, SignatureAlgorithm } from '@coffer/contracts';
import { keyLabel } from '@coffer/hsm';
import { connectTo, createThrowawayToken, setHostEnv, SpawnedNats, startNatsServer, ThrowawayToken } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  constants, createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, JsonWebKey, publicEncrypt, randomBytes, verify,
} from 'node:crypto';
import { createCryptoWorker } from '../main';

/** The key subjects of the crypto-worker over a real nats-server, on a throwaway SoftHSM token. */
describe('crypto-worker key operations over NATS', () => {
  let nats: SpawnedNats;
  let token: ThrowawayToken;
  let restoreEnv: (() => void) | undefined;
  let app: INestMicroservice | undefined;
  let nc: NatsConnection | undefined;
  let seq = 0;
  const newId = () => `vault-w/key-${++seq}/${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    nats = await startNatsServer();
    token = createThrowawayToken('coffer-worker-keys');
    restoreEnv = setHostEnv('SOFTHSM2_CONF', token.conf);
    const config = loadConfig({ ...token.env, COFFER_NATS_URL: nats.url, COFFER_LOG_LEVEL: 'silent', COFFER_PKCS11_SESSIONS: '4' });
    app = await createCryptoWorker(config);
    await app.listen();
    nc = await connectTo(nats.url);
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await nats?.stop();
    token?.remove();
    restoreEnv?.();
  });

  const request = async (op: CryptoOp, body: object, timeout = 20_000): Promise<any> => {
    const msg = await nc!.request(InternalSubjects.crypto(op), Buffer.from(JSON.stringify(body)), { timeout });
    return JSON.parse(Buffer.from(msg.data).toString('utf8'));
  };
  const b64 = (b: Buffer) => b.toString('base64');
  const nodeKey = (publicKey: any) =>
    createPublicKey({ key: (publicKey.crv === 'P-256K' ? { ...publicKey, crv: 'secp256k1' } : publicKey) as JsonWebKey, format: 'jwk' });
  /** Token objects of one key version, counted by a separate process with its own session (not through the worker). */
  const countObjects = (hsmKeyId: string) =>
    Number(
      execFileSync(process.execPath, ['-e', COUNT_SCRIPT, token.label, token.pin, keyLabel(hsmKeyId)], {
        env: { ...process.env, SOFTHSM2_CONF: token.conf },
      }).toString(),
    );

  const verifies = (publicKey: any, alg: SignatureAlgorithm, data: Buffer, signature: string) => {
    const spec = SIGNATURE_SPECS[alg];
    const key = nodeKey(publicKey);
    const sig = Buffer.from(signature, 'base64');
    if (spec.family === 'EC') return verify(spec.digest, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    if (spec.padding === 'pss') return verify(spec.digest, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.digestBytes }, sig);
    return verify(spec.digest, data, key, sig);
  };
  const digestB64 = (alg: SignatureAlgorithm, data: Buffer) => b64(createHash(SIGNATURE_SPECS[alg].digest).update(data).digest());

  it('all ten signature algorithms verify with node:crypto from the returned public JWK', async () => {
    const rsaId = newId();
    const { publicKey: rsa } = await request('key.generate', { hsmKeyId: rsaId, kty: 'RSA', size: 2048 });
    expect(rsa).toEqual({ kty: 'RSA', n: expect.stringMatching(/^[A-Za-z0-9_-]+$/), e: 'AQAB' });
    const ec: Record<string, { id: string; publicKey: any }> = {};
    for (const crv of ['P-256', 'P-384', 'P-521', 'P-256K']) {
      const id = newId();
      ec[crv] = { id, publicKey: (await request('key.generate', { hsmKeyId: id, kty: 'EC', crv })).publicKey };
      expect(ec[crv].publicKey).toMatchObject({ kty: 'EC', crv });
    }
    for (const alg of Object.keys(SIGNATURE_SPECS) as SignatureAlgorithm[]) {
      const spec = SIGNATURE_SPECS[alg];
      const { id, publicKey } = spec.family === 'RSA' ? { id: rsaId, publicKey: rsa } : ec[spec.curve!];
      const data = Buffer.from(`signed with ${alg}`);
      const reply = await request('key.sign', { hsmKeyId: id, alg, digest: digestB64(alg, data) });
      expect([alg, verifies(publicKey, alg, data, reply.value)]).toEqual([alg, true]);
    }
  });

  it('RSA ciphertexts from node:crypto decrypt and unwrap in the worker', async () => {
    const id = newId();
    const key = nodeKey((await request('key.generate', { hsmKeyId: id, kty: 'RSA' })).publicKey);
    for (const [alg, options] of [
      ['RSA-OAEP', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }],
      ['RSA-OAEP-256', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }],
      ['RSA1_5', { padding: constants.RSA_PKCS1_PADDING }],
    ] as const) {
      const secret = randomBytes(32);
      const ct = b64(publicEncrypt({ key, ...options }, secret));
      expect(await request('key.decrypt', { hsmKeyId: id, alg, value: ct })).toEqual({ value: b64(secret) });
      expect(await request('key.unwrap', { hsmKeyId: id, alg, value: ct })).toEqual({ value: b64(secret) });
      const wrapped = await request('key.wrap', { hsmKeyId: id, alg, value: b64(secret) });
      expect(await request('key.unwrap', { hsmKeyId: id, alg, value: wrapped.value })).toEqual({ value: b64(secret) });
    }
  });

  it('an imported oct key: AES-GCM interoperates with node:crypto, A256KW equals id-aes256-wrap', async () => {
    const id = newId();
    const k = randomBytes(32);
    expect(await request('key.import', { hsmKeyId: id, jwk: { kty: 'oct', k: k.toString('base64url') } })).toEqual({ publicKey: { kty: 'oct' } });
    const aad = Buffer.from('context');
    const enc = await request('key.encrypt', { hsmKeyId: id, alg: 'A256GCM', value: b64(Buffer.from('hello')), aad: b64(aad) });
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(enc.iv, 'base64')).setAAD(aad).setAuthTag(Buffer.from(enc.tag, 'base64'));
    expect(Buffer.concat([decipher.update(Buffer.from(enc.value, 'base64')), decipher.final()]).toString()).toBe('hello');
    expect(await request('key.decrypt', { hsmKeyId: id, alg: 'A256GCM', ...enc, aad: b64(aad) })).toEqual({ value: b64(Buffer.from('hello')) });

    const secret = randomBytes(32);
    const wrapped = await request('key.wrap', { hsmKeyId: id, alg: 'A256KW', value: b64(secret) });
    const cipher = createCipheriv('id-aes256-wrap', k, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    expect(wrapped).toEqual({ value: b64(Buffer.concat([cipher.update(secret), cipher.final()])) });
    expect(await request('key.unwrap', { hsmKeyId: id, alg: 'A256KW', value: wrapped.value })).toEqual({ value: b64(secret) });
  });

  it('rewrap moves a wrapped key to the next version without returning the plaintext', async () => {
    const [from, to] = [newId(), newId()];
    await request('key.generate', { hsmKeyId: from, kty: 'oct' });
    const toPublic = (await request('key.generate', { hsmKeyId: to, kty: 'RSA' })).publicKey;
    const fromRsa = newId();
    const fromKey = nodeKey((await request('key.generate', { hsmKeyId: fromRsa, kty: 'RSA' })).publicKey);
    const secret = randomBytes(32);
    const wrapped = b64(publicEncrypt({ key: fromKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, secret));
    const reply = await request('key.rewrap', { fromHsmKeyId: fromRsa, toHsmKeyId: to, toPublicKey: toPublic, alg: 'RSA-OAEP-256', value: wrapped });
    expect(Object.keys(reply)).toEqual(['value']);
    expect(reply.value).not.toContain(b64(secret));
    expect(await request('key.unwrap', { hsmKeyId: to, alg: 'RSA-OAEP-256', value: reply.value })).toEqual({ value: b64(secret) });
    // An oct source cannot take an RSA algorithm.
    expect(await request('key.rewrap', { fromHsmKeyId: from, toHsmKeyId: to, alg: 'RSA-OAEP-256', value: wrapped })).toMatchObject({
      error: { code: 'BadParameter', innererror: { code: 'UnsupportedAlgorithm' } },
    });
  });

  it('batch sign and encrypt: items succeed or fail one by one', async () => {
    const id = newId();
    const { publicKey } = await request('key.generate', { hsmKeyId: id, kty: 'RSA' });
    const data = Array.from({ length: 30 }, (_, i) => Buffer.from(`item ${i}`));
    const items = data.map((d) => ({ value: digestB64('RS256', d) }));
    items[3] = { value: b64(Buffer.alloc(20)) };
    const reply = await request('key.batch', { hsmKeyId: id, op: 'sign', alg: 'RS256', items });
    expect(reply.items).toHaveLength(30);
    reply.items.forEach((item: any, i: number) => {
      if (i === 3) expect(item).toEqual({ error: { code: 'BadParameter', message: expect.stringMatching(/32-byte sha256 digest/) } });
      else expect(verifies(publicKey, 'RS256', data[i], item.value)).toBe(true);
    });
    const enc = await request('key.batch', { hsmKeyId: id, op: 'encrypt', alg: 'RSA-OAEP', items: [{ value: b64(Buffer.from('a')) }, { value: b64(Buffer.alloc(300)) }] });
    expect(enc.items[0]).toEqual({ value: expect.any(String) });
    expect(enc.items[1]).toEqual({ error: { code: 'BadParameter', message: expect.stringMatching(/at most 214 bytes/) } });
    expect(await request('key.decrypt', { hsmKeyId: id, alg: 'RSA-OAEP', value: enc.items[0].value })).toEqual({ value: b64(Buffer.from('a')) });
    expect(await request('key.batch', { hsmKeyId: id, op: 'sign', alg: 'A256GCM', items })).toMatchObject({ error: { code: 'BadParameter' } });
    expect(await request('key.batch', { hsmKeyId: id, op: 'sign', alg: 'ES256', items })).toMatchObject({
      error: { code: 'BadParameter', innererror: { code: 'UnsupportedAlgorithm' } },
    });
  });

  it('export → destroy → restore: the restored key still signs for the old public key; destroy counts objects', async () => {
    const id = newId();
    const { publicKey } = await request('key.generate', { hsmKeyId: id, kty: 'EC', crv: 'P-384' });
    expect(countObjects(id)).toBe(2);
    const exported = await request('key.export', { hsmKeyId: id });
    expect(exported).toEqual({ kty: 'EC', wrapped: expect.any(String), publicKey });
    expect(await request('key.destroy', { hsmKeyIds: [id] })).toEqual({ destroyed: 2 });
    expect(countObjects(id)).toBe(0);
    expect(await request('key.destroy', { hsmKeyIds: [id] })).toEqual({ destroyed: 0 });
    expect(await request('key.sign', { hsmKeyId: id, alg: 'ES384', digest: b64(Buffer.alloc(48)) })).toEqual({
      error: { code: 'BadParameter', message: 'unknown key version (no such key in the HSM)', innererror: { code: 'KeyNotFound' } },
    });
    expect(await request('key.restore', { hsmKeyId: id, ...exported })).toEqual({ publicKey });
    expect(countObjects(id)).toBe(2);
    const data = Buffer.from('restored');
    const { value } = await request('key.sign', { hsmKeyId: id, alg: 'ES384', digest: digestB64('ES384', data) });
    expect(verifies(publicKey, 'ES384', data, value)).toBe(true);
  });

  it('random bytes', async () => {
    const { value } = await request('random', { count: 1024 });
    expect(Buffer.from(value, 'base64')).toHaveLength(1024);
    expect(await request('random', { count: 0 })).toMatchObject({ error: { code: 'BadParameter', message: expect.stringMatching(/count/) } });
    expect(await request('random', { count: 1025 })).toMatchObject({ error: { code: 'BadParameter' } });
  });

  describe('bad input gets typed errors, nothing is left behind, and the worker keeps serving', () => {
    const ids = { rsa: newId(), ec: newId(), oct: newId() };
    beforeAll(async () => {
      await request('key.generate', { hsmKeyId: ids.rsa, kty: 'RSA' });
      await request('key.generate', { hsmKeyId: ids.ec, kty: 'EC' });
      await request('key.generate', { hsmKeyId: ids.oct, kty: 'oct', size: 128 });
    });
    afterEach(async () => {
      expect(await request('status', {})).toMatchObject({ ok: true, inFlight: 0 });
    });
    const digest32 = b64(Buffer.alloc(32, 7));

    it.each([
      ['wrong alg for the key type', 'key.sign', () => ({ hsmKeyId: ids.ec, alg: 'RS256', digest: digest32 }), 'UnsupportedAlgorithm'],
      ['wrong curve', 'key.sign', () => ({ hsmKeyId: ids.ec, alg: 'ES256K', digest: digest32 }), 'UnsupportedAlgorithm'],
      ['wrong digest length', 'key.sign', () => ({ hsmKeyId: ids.rsa, alg: 'RS384', digest: digest32 }), 'InvalidDigest'],
      ['AES key size not matching alg', 'key.encrypt', () => ({ hsmKeyId: ids.oct, alg: 'A256GCM', value: digest32 }), 'UnsupportedAlgorithm'],
      ['AES KW size not matching alg', 'key.wrap', () => ({ hsmKeyId: ids.oct, alg: 'A256KW', value: digest32 }), 'UnsupportedAlgorithm'],
      ['missing iv', 'key.decrypt', () => ({ hsmKeyId: ids.oct, alg: 'A128GCM', value: digest32, tag: b64(Buffer.alloc(16)) }), 'InvalidInput'],
      ['missing tag', 'key.decrypt', () => ({ hsmKeyId: ids.oct, alg: 'A128GCM', value: digest32, iv: b64(Buffer.alloc(12)) }), 'InvalidInput'],
      ['bad tag', 'key.decrypt', () => ({ hsmKeyId: ids.oct, alg: 'A128GCM', value: digest32, iv: b64(Buffer.alloc(12)), tag: b64(Buffer.alloc(16)) }), 'DecryptionFailed'],
      ['RSA garbage', 'key.decrypt', () => ({ hsmKeyId: ids.rsa, alg: 'RSA-OAEP-256', value: b64(randomBytes(256)) }), 'DecryptionFailed'],
      ['wrap input not a multiple of 8', 'key.wrap', () => ({ hsmKeyId: ids.oct, alg: 'A128KW', value: b64(Buffer.alloc(20)) }), 'InvalidInput'],
      ['corrupt wrapped key', 'key.unwrap', () => ({ hsmKeyId: ids.oct, alg: 'A128KW', value: b64(randomBytes(40)) }), 'InvalidWrappedKey'],
      ['unknown hsmKeyId', 'key.sign', () => ({ hsmKeyId: newId(), alg: 'ES256', digest: digest32 }), 'KeyNotFound'],
      ['bad JWK', 'key.import', () => ({ hsmKeyId: newId(), jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' } }), 'InvalidInput'],
      ['existing id, other key', 'key.generate', () => ({ hsmKeyId: ids.rsa, kty: 'EC' }), 'KeyExists'],
    ] as const)('%s → %s', async (_, op, body, inner) => {
      const reply = await request(op, body());
      expect(reply).toMatchObject({ error: { code: inner === 'KeyExists' ? 'Conflict' : 'BadParameter', innererror: { code: inner } } });
      expect(reply.error.message).not.toMatch(/CKR_/);
    });

    it.each([
      ['bad base64', 'key.sign', { alg: 'ES256', digest: 'not base64!' }, /digest/],
      ['base64url is not the internal encoding', 'key.decrypt', { alg: 'RSA-OAEP', value: Buffer.alloc(32, 0xff).toString('base64url') }, /value/],
      ['unknown alg', 'key.sign', { alg: 'HS256', digest: digest32 }, /alg/],
      ['bad hsmKeyId', 'key.sign', { hsmKeyId: 'vault/../etc', alg: 'ES256', digest: digest32 }, /hsmKeyId/],
      ['unknown field', 'key.encrypt', { alg: 'A128GCM', value: digest32, nonce: 'x' }, /nonce/],
      ['iv on encrypt', 'key.encrypt', { alg: 'A128GCM', value: digest32, iv: b64(Buffer.alloc(12)) }, /iv/],
      ['bad kty', 'key.generate', { kty: 'DSA' }, /kty/],
      ['bad curve', 'key.generate', { kty: 'EC', crv: 'P-192' }, /crv/],
      ['empty batch', 'key.batch', { op: 'sign', alg: 'RS256', items: [] }, /items/],
    ] as const)('%s → BadParameter naming the field', async (_, op, body, field) => {
      const reply = await request(op, { hsmKeyId: ids.rsa, ...body });
      expect(reply).toMatchObject({ error: { code: 'BadParameter' } });
      expect(reply.error.message).toMatch(field);
    });

    it('a failed import leaves no objects and never echoes the key', async () => {
      const id = newId();
      const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const reply = await request('key.import', { hsmKeyId: id, jwk: { ...jwk, d: other.d, p: other.p, q: other.q, dp: other.dp, dq: other.dq, qi: other.qi } });
      expect(reply).toMatchObject({ error: { code: 'BadParameter', innererror: { code: 'InvalidInput' } } });
      for (const member of ['d', 'p', 'q']) expect(JSON.stringify(reply)).not.toContain(other[member].slice(0, 16));
      expect(countObjects(id)).toBe(0);
    });
  });

  it('keeps the event loop responsive under RSA load and reports its delay in status', async () => {
    const id = newId();
    await request('key.generate', { hsmKeyId: id, kty: 'RSA', size: 4096 }, 60_000);
    const digest = digestB64('RS256', Buffer.from('load'));
    // The worker runs in this process: a 5 ms timer here sees whatever blocks its event loop.
    const lateness: number[] = [];
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      lateness.push(now - last - 5);
      last = now;
    }, 5);
    let replies: any[];
    let status: any;
    let statusMs: number;
    try {
      // 200 RSA-4096 signatures in flight: seconds of HSM work, all of it on the thread pool.
      const load = Promise.all(Array.from({ length: 200 }, () => request('key.sign', { hsmKeyId: id, alg: 'RS256', digest }, 60_000)));
      const started = performance.now();
      status = await request('status', {});
      statusMs = performance.now() - started;
      replies = await load;
    } finally {
      clearInterval(probe);
    }
    replies.forEach((r) => expect(r.value).toEqual(expect.any(String)));
    // The status request overtook the queued signatures: the loop was free while the HSM worked.
    expect(statusMs).toBeLessThan(1000);
    expect(status.eventLoopDelay).toEqual(expect.objectContaining({ p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) }));
    // One synchronous RSA-4096 signature blocks for tens of milliseconds; on the thread pool the
    // loop stays free most of the time.
    lateness.sort((a, b) => a - b);
    expect(lateness.length).toBeGreaterThan(20);
    expect(lateness[Math.floor(lateness.length / 2)]).toBeLessThan(10);
  });
});

/** Counts a label's token objects from a separate process with its own PKCS#11 session. */
const COUNT_SCRIPT = `
const p = require('pkcs11js');
const [label, pin, objectLabel] = process.argv.slice(1);
const m = new p.PKCS11(); m.load('/usr/lib/softhsm/libsofthsm2.so'); m.C_Initialize();
const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === label);
const s = m.C_OpenSession(slot, p.CKF_SERIAL_SESSION); m.C_Login(s, p.CKU_USER, pin);
m.C_FindObjectsInit(s, [{ type: p.CKA_LABEL, value: objectLabel }]);
process.stdout.write(String(m.C_FindObjects(s, 1000).length));
m.C_FindObjectsFinal(s); m.C_Logout(s); m.C_Finalize();
`;
