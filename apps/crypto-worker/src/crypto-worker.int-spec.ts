import { INestMicroservice } from '@nestjs/common';
import { loadConfig } from '@coffer/config';
import { BACKUP_KEK_ID, InternalSubjects, CryptoOp } from '@coffer/contracts';
import { connectTo, createThrowawayToken, SpawnedNats, startNatsServer, ThrowawayToken } from '@coffer/testing';
import { NatsConnection } from 'nats';
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
    expect(await request('status', {})).toEqual({ ok: true, token: 'coffer-worker-int', sessions: 4, inFlight: 0 });
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
