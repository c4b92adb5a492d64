import { INestMicroservice } from '@nestjs/common';
import { loadConfig } from '@coffer/config';
import { AUDIT_SIGNING_KEY_ID, BACKUP_KEK_ID, InternalSubjects, CryptoOp, TOKEN_SIGNING_KEY_ID } from '@coffer/contracts';
import { connectTo, createThrowawayToken, SpawnedNats, startNatsServer, ThrowawayToken, until } from '@coffer/testing';
import { NatsConnection } from 'nats';
import { createHash, createPublicKey, JsonWebKey, verify } from 'node:crypto';
import { setHostEnv } from '@coffer/testing';
import { createCryptoWorker } from './main';

/** The crypto-worker in-process against a real nats-server and a throwaway SoftHSM token. */
describe('crypto-worker over NATS', () => {
  let nats: SpawnedNats;
  let token: ThrowawayToken;
  let restoreEnv: (() => void) | undefined;
  let app: INestMicroservice | undefined;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    token = createThrowawayToken('coffer-worker-int');
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

  /** Sends raw bytes (to allow malformed JSON) and parses the JSON reply. */
  const raw = async (op: CryptoOp, body: string): Promise<any> => {
    const msg = await nc!.request(InternalSubjects.crypto(op), Buffer.from(body), { timeout: 5000 });
    return JSON.parse(Buffer.from(msg.data).toString('utf8'));
  };
  const request = (op: CryptoOp, body: object) => raw(op, JSON.stringify(body));

  it('answers status with the token and pool', async () => {
    // The event-loop histogram has its first sample one resolution tick after start; wait for it.
    const status = await until('an event-loop sample', async () => {
      const s = await request('status', {});
      return s.eventLoopDelay?.samples > 0 ? s : undefined;
    });
    expect(status).toEqual({
      ok: true, token: 'coffer-worker-int', sessions: 4, inFlight: 0,
      eventLoopDelay: { windowMs: expect.any(Number), samples: expect.any(Number), meanMs: expect.any(Number), p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) },
    });
    expect(status.eventLoopDelay.samples).toBeGreaterThan(0);
  });

  it('created the backup KEK at start-up', async () => {
    expect(await request('kek.ensure', { kekId: BACKUP_KEK_ID })).toEqual({ kekId: BACKUP_KEK_ID, created: false });
  });

  it('ensure, generate, unwrap: the data key survives the round trip', async () => {
    expect(await request('kek.ensure', { kekId: 'vault-1' })).toEqual({ kekId: 'vault-1', created: true });
    expect(await request('kek.ensure', { kekId: 'vault-1' })).toEqual({ kekId: 'vault-1', created: false });
    const generated = await request('datakey.generate', { kekId: 'vault-1' });
    expect(Buffer.from(generated.plaintext, 'base64')).toHaveLength(32);
    expect(Buffer.from(generated.wrapped, 'base64')).toHaveLength(40);
    const unwrapped = await request('datakey.unwrap', { kekId: 'vault-1', wrapped: generated.wrapped });
    expect(unwrapped).toEqual({ plaintext: generated.plaintext });
  });

  describe('bad input gets BadParameter and the service keeps serving', () => {
    let wrapped: string;
    beforeAll(async () => {
      await request('kek.ensure', { kekId: 'vault-1' });
      await request('kek.ensure', { kekId: 'vault-2' });
      wrapped = (await request('datakey.generate', { kekId: 'vault-1' })).wrapped;
    });

    afterEach(async () => {
      expect(await request('status', {})).toMatchObject({ ok: true });
      const key = await request('datakey.generate', { kekId: 'vault-1' });
      expect(await request('datakey.unwrap', { kekId: 'vault-1', wrapped: key.wrapped })).toEqual({ plaintext: key.plaintext });
    });

    it('malformed JSON', async () => {
      expect(await raw('datakey.unwrap', '{"kekId": "vault-1", ')).toEqual({
        error: { code: 'BadParameter', message: expect.stringMatching(/not valid JSON/), innererror: { code: 'MalformedRequest' } },
      });
      expect(await raw('kek.ensure', '[1,2]')).toMatchObject({ error: { code: 'BadParameter', innererror: { code: 'MalformedRequest' } } });
    });

    it('an unknown field', async () => {
      const reply = await request('datakey.generate', { kekId: 'vault-1', extra: 1 });
      expect(reply).toMatchObject({ error: { code: 'BadParameter', innererror: { code: 'UnknownField' } } });
      expect(reply.error.message).toMatch(/extra/);
    });

    it.each([
      ['kek.ensure', { kekId: 'has space' }],
      ['kek.ensure', { kekId: '' }],
      ['kek.ensure', { kekId: 'x'.repeat(65) }],
      ['kek.ensure', { kekId: 42 }],
      ['kek.ensure', {}],
      ['datakey.generate', { kekId: 'a.b' }],
      ['datakey.unwrap', { kekId: '../etc', wrapped: 'AAAA' }],
    ] as const)('a bad kekId (%s %j)', async (op, body) => {
      const reply = await request(op, body);
      expect(reply).toMatchObject({ error: { code: 'BadParameter' } });
      expect(reply.error.message).toMatch(/kekId/);
    });

    it.each([
      ['not base64', 'not base64!'],
      ['empty', ''],
      ['too long', 'A'.repeat(5000)],
      ['not a string', 12],
    ])('bad base64 in wrapped (%s)', async (_, bad) => {
      const reply = await request('datakey.unwrap', { kekId: 'vault-1', wrapped: bad });
      expect(reply).toMatchObject({ error: { code: 'BadParameter' } });
      expect(reply.error.message).toMatch(/wrapped/);
    });

    it('an unknown kekId, without creating it', async () => {
      expect(await request('datakey.generate', { kekId: 'nobody' })).toEqual({
        error: { code: 'BadParameter', message: 'unknown key-encryption key', innererror: { code: 'KeyNotFound' } },
      });
      expect(await request('datakey.unwrap', { kekId: 'nobody', wrapped })).toMatchObject({
        error: { code: 'BadParameter', innererror: { code: 'KeyNotFound' } },
      });
      expect(await request('kek.ensure', { kekId: 'nobody' })).toEqual({ kekId: 'nobody', created: true });
    });

    it("a key wrapped under another vault's KEK, or corrupted", async () => {
      expect(await request('datakey.unwrap', { kekId: 'vault-2', wrapped })).toMatchObject({
        error: { code: 'BadParameter', innererror: { code: 'InvalidWrappedKey' } },
      });
      const flipped = Buffer.from(wrapped, 'base64');
      flipped[7] ^= 0x80;
      expect(await request('datakey.unwrap', { kekId: 'vault-1', wrapped: flipped.toString('base64') })).toMatchObject({
        error: { code: 'BadParameter', innererror: { code: 'InvalidWrappedKey' } },
      });
      expect(await request('datakey.unwrap', { kekId: 'vault-1', wrapped: 'AAAA' })).toMatchObject({
        error: { code: 'BadParameter', innererror: { code: 'InvalidWrappedKey' } },
      });
    });

    it('never echoes key material in an error', async () => {
      const reply = await request('datakey.unwrap', { kekId: 'vault-2', wrapped });
      expect(JSON.stringify(reply)).not.toContain(wrapped);
    });
  });

  describe('signing keys', () => {
    const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
    const verifies = (jwk: JsonWebKey, data: Buffer, signatureBase64: string) =>
      verify('sha256', data, { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureBase64, 'base64'));
    const jwkShape = (kid: string) => ({ kty: 'EC', crv: 'P-256', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), y: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid });

    it('created the token and audit signing keys at start-up', async () => {
      for (const keyId of [TOKEN_SIGNING_KEY_ID, AUDIT_SIGNING_KEY_ID]) {
        const data = Buffer.from(`hello ${keyId}`);
        const reply = await request('sign', { keyId, digest: sha256(data).toString('base64') });
        const { jwk } = await request('signingkey.ensure', { keyId });
        expect(jwk).toEqual(jwkShape(keyId));
        expect(verifies(jwk, data, reply.signature)).toBe(true);
      }
      const token = await request('signingkey.ensure', { keyId: TOKEN_SIGNING_KEY_ID });
      const audit = await request('signingkey.ensure', { keyId: AUDIT_SIGNING_KEY_ID });
      expect(token.jwk.x).not.toBe(audit.jwk.x);
    });

    it('ensure answers the same public key every time; a signature verifies and a tampered message does not', async () => {
      const first = await request('signingkey.ensure', { keyId: 'svc-key' });
      expect(first).toEqual({ keyId: 'svc-key', jwk: jwkShape('svc-key') });
      expect(await request('signingkey.ensure', { keyId: 'svc-key' })).toEqual(first);
      const data = Buffer.from('header.payload');
      const { signature } = await request('sign', { keyId: 'svc-key', digest: sha256(data).toString('base64') });
      expect(Buffer.from(signature, 'base64')).toHaveLength(64);
      expect(verifies(first.jwk, data, signature)).toBe(true);
      expect(verifies(first.jwk, Buffer.from('header.payloaD'), signature)).toBe(false);
    });

    it('concurrent ensures over NATS agree on one key', async () => {
      const replies = await Promise.all(Array.from({ length: 10 }, () => request('signingkey.ensure', { keyId: 'svc-concurrent' })));
      replies.forEach((r) => expect(r).toEqual(replies[0]));
    });

    describe('bad input gets BadParameter and the service keeps serving', () => {
      const digest = sha256(Buffer.from('x')).toString('base64');

      afterEach(async () => {
        expect(await request('status', {})).toMatchObject({ ok: true });
        const data = Buffer.from('still serving');
        const { jwk } = await request('signingkey.ensure', { keyId: 'svc-key' });
        const { signature } = await request('sign', { keyId: 'svc-key', digest: sha256(data).toString('base64') });
        expect(verifies(jwk, data, signature)).toBe(true);
      });

      it('an unknown keyId, without creating it', async () => {
        expect(await request('sign', { keyId: 'nobody-signs', digest })).toEqual({
          error: { code: 'BadParameter', message: 'unknown signing key', innererror: { code: 'KeyNotFound' } },
        });
        // A KEK by that name is not a signing key.
        expect(await request('sign', { keyId: BACKUP_KEK_ID, digest })).toMatchObject({
          error: { code: 'BadParameter', innererror: { code: 'KeyNotFound' } },
        });
        expect(await request('sign', { keyId: 'nobody-signs', digest })).toMatchObject({ error: { innererror: { code: 'KeyNotFound' } } });
      });

      it.each([
        ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
        ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
        ['64 bytes', Buffer.alloc(64, 1).toString('base64')],
        ['empty', ''],
        ['not base64', '!'.repeat(44)],
        ['base64url', Buffer.alloc(32, 0xff).toString('base64url')],
        ['not a string', 32],
        ['missing', undefined],
      ])('a bad digest (%s)', async (_, bad) => {
        const reply = await request('sign', { keyId: 'svc-key', digest: bad });
        expect(reply).toMatchObject({ error: { code: 'BadParameter' } });
        expect(reply.error.message).toMatch(/digest/);
      });

      it.each([
        ['signingkey.ensure', { keyId: 'has space' }],
        ['signingkey.ensure', { keyId: '' }],
        ['signingkey.ensure', { keyId: 'k'.repeat(65) }],
        ['signingkey.ensure', {}],
        ['signingkey.ensure', { keyId: 7 }],
        ['sign', { keyId: 'a.b', digest }],
        ['sign', { digest }],
      ] as const)('a bad keyId (%s %j)', async (op, body) => {
        const reply = await request(op, body);
        expect(reply).toMatchObject({ error: { code: 'BadParameter' } });
        expect(reply.error.message).toMatch(/keyId/);
      });

      it('an unknown field', async () => {
        expect(await request('sign', { keyId: 'svc-key', digest, alg: 'none' })).toMatchObject({
          error: { code: 'BadParameter', innererror: { code: 'UnknownField' } },
        });
      });
    });

    it('serves 200 signatures in parallel', async () => {
      const { jwk } = await request('signingkey.ensure', { keyId: 'svc-key' });
      const data = Array.from({ length: 200 }, (_, i) => Buffer.from(`m${i}`));
      const replies = await Promise.all(data.map((d) => request('sign', { keyId: 'svc-key', digest: sha256(d).toString('base64') })));
      replies.forEach((r, i) => expect(verifies(jwk, data[i], r.signature)).toBe(true));
      expect(await request('status', {})).toMatchObject({ ok: true, inFlight: 0 });
    });
  });

  it('serves 200 unwraps in parallel', async () => {
    await request('kek.ensure', { kekId: 'vault-load' });
    const keys = await Promise.all(Array.from({ length: 20 }, () => request('datakey.generate', { kekId: 'vault-load' })));
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request('datakey.unwrap', { kekId: 'vault-load', wrapped: keys[i % keys.length].wrapped })),
    );
    replies.forEach((reply, i) => expect(reply).toEqual({ plaintext: keys[i % keys.length].plaintext }));
    expect(await request('status', {})).toMatchObject({ ok: true, inFlight: 0 });
  });
});
