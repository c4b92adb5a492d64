import { createThrowawayToken, ThrowawayToken } from '@coffer/testing';
import * as pkcs11js from 'pkcs11js';
import { HsmError, HsmErrorCodes } from './hsm.errors';
import { Pkcs11Hsm, Pkcs11HsmOptions } from './pkcs11-hsm';
import { acquirePkcs11Library, Pkcs11Library } from './pkcs11-library';
import { kekSearchTemplate } from './pkcs11-templates';
import { setHostEnv } from '@coffer/testing';

/** Real SoftHSM: a throwaway token per suite. SoftHSM reads SOFTHSM2_CONF at C_Initialize. */
describe('Pkcs11Hsm on SoftHSM', () => {
  let token: ThrowawayToken;
  let options: Pkcs11HsmOptions;
  let restoreEnv: (() => void) | undefined;

  beforeAll(() => {
    token = createThrowawayToken('coffer-hsm-int');
    restoreEnv = setHostEnv('SOFTHSM2_CONF', token.conf);
    options = { module: token.module, token: token.label, pin: token.pin, sessions: 4 };
  });

  afterAll(() => {
    token?.remove();
    restoreEnv?.();
  });

  // These run while nothing else holds the token: a login already in place would hide a wrong PIN.
  describe('opening', () => {
    it('rejects a wrong PIN with PinIncorrect and releases the module', async () => {
      const err = await Pkcs11Hsm.open({ ...options, pin: 'not-the-pin' }).catch((e) => e);
      expect(err).toBeInstanceOf(HsmError);
      expect(err).toMatchObject({ code: HsmErrorCodes.PinIncorrect });
      expect(err.message).not.toContain('not-the-pin');
      // Nothing stayed initialised: the next open logs in afresh (and the right PIN works).
      const hsm = await Pkcs11Hsm.open(options);
      await hsm.close();
    });

    it('rejects a missing token label with TokenNotFound', async () => {
      await expect(Pkcs11Hsm.open({ ...options, token: 'no-such-token' })).rejects.toMatchObject({
        name: 'HsmError',
        code: HsmErrorCodes.TokenNotFound,
      });
    });

    it('rejects a module that does not exist', async () => {
      await expect(Pkcs11Hsm.open({ ...options, module: '/nonexistent/libpkcs11.so' })).rejects.toMatchObject({
        code: HsmErrorCodes.ModuleNotLoaded,
      });
    });
  });

  describe('with an open token', () => {
    let hsm: Pkcs11Hsm;
    /** A second holder of the same module, to inspect the token the way any PKCS#11 client would. */
    let probe: Pkcs11Library;
    let probeSession: pkcs11js.Handle;

    beforeAll(async () => {
      hsm = await Pkcs11Hsm.open(options);
      probe = acquirePkcs11Library(token.module);
      const slot = probe.pkcs11.C_GetSlotList(true).find((s) => probe.pkcs11.C_GetTokenInfo(s).label.trim() === token.label)!;
      probeSession = probe.pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    });

    afterAll(async () => {
      if (probeSession) probe.pkcs11.C_CloseSession(probeSession);
      await hsm?.close();
      probe?.release();
    });

    const findAll = (template: pkcs11js.Template = []) => {
      probe.pkcs11.C_FindObjectsInit(probeSession, template);
      try {
        return probe.pkcs11.C_FindObjects(probeSession, 10_000);
      } finally {
        probe.pkcs11.C_FindObjectsFinal(probeSession);
      }
    };
    const kekOnToken = (kekId: string) => findAll(kekSearchTemplate(kekId));

    it('reports its token and pool', () => {
      expect(hsm.info()).toEqual({ token: token.label, sessions: 4, inFlight: 0 });
    });

    it('ensureKek creates once, then finds the existing key', async () => {
      expect(await hsm.ensureKek('vault-a')).toBe(true);
      expect(await hsm.ensureKek('vault-a')).toBe(false);
      expect(kekOnToken('vault-a')).toHaveLength(1);
    });

    it('ensureKek called concurrently for one id creates exactly one key', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => hsm.ensureKek('vault-concurrent')));
      expect(results.filter((created) => created)).toHaveLength(1);
      expect(kekOnToken('vault-concurrent')).toHaveLength(1);
    });

    it('a KEK is sensitive, not extractable, and its value cannot be read', async () => {
      await hsm.ensureKek('vault-a');
      const [kek] = kekOnToken('vault-a');
      const [sensitive, extractable, wrap, encrypt] = probe.pkcs11.C_GetAttributeValue(probeSession, kek, [
        { type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }, { type: pkcs11js.CKA_WRAP }, { type: pkcs11js.CKA_ENCRYPT },
      ]);
      expect(sensitive.value).toEqual(Buffer.from([1]));
      expect(extractable.value).toEqual(Buffer.from([0]));
      expect(wrap.value).toEqual(Buffer.from([1]));
      expect(encrypt.value).toEqual(Buffer.from([0]));
      expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, kek, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
    });

    it('generate then unwrap returns the same 32 bytes', async () => {
      await hsm.ensureKek('vault-a');
      const { plaintext, wrapped } = await hsm.generateDataKey('vault-a');
      expect(plaintext).toHaveLength(32);
      expect(wrapped).toHaveLength(40);
      expect(wrapped.includes(plaintext)).toBe(false);
      expect((await hsm.unwrapDataKey('vault-a', wrapped)).equals(plaintext)).toBe(true);
      const other = await hsm.generateDataKey('vault-a');
      expect(other.plaintext.equals(plaintext)).toBe(false);
    });

    it('a KEK created by an earlier process is found without ensureKek', async () => {
      await hsm.ensureKek('vault-persisted');
      const { plaintext, wrapped } = await hsm.generateDataKey('vault-persisted');
      await hsm.close();
      hsm = await Pkcs11Hsm.open(options);
      expect((await hsm.unwrapDataKey('vault-persisted', wrapped)).equals(plaintext)).toBe(true);
    });

    it("unwrapping with another vault's KEK fails with InvalidWrappedKey", async () => {
      await hsm.ensureKek('vault-a');
      await hsm.ensureKek('vault-b');
      const { wrapped } = await hsm.generateDataKey('vault-a');
      const err = await hsm.unwrapDataKey('vault-b', wrapped).catch((e) => e);
      expect(err).toBeInstanceOf(HsmError);
      expect(err.code).toBe(HsmErrorCodes.InvalidWrappedKey);
    });

    it('an unknown kekId is KeyNotFound and no key is created for it', async () => {
      await expect(hsm.generateDataKey('never-ensured')).rejects.toMatchObject({ code: HsmErrorCodes.KeyNotFound });
      await expect(hsm.unwrapDataKey('never-ensured', Buffer.alloc(40))).rejects.toMatchObject({ code: HsmErrorCodes.KeyNotFound });
      expect(kekOnToken('never-ensured')).toHaveLength(0);
    });

    it.each([
      ['a flipped bit', (w: Buffer) => { const c = Buffer.from(w); c[5] ^= 0x01; return c; }],
      ['a truncated block', (w: Buffer) => w.subarray(0, 32)],
      ['a length that is not a multiple of 8', (w: Buffer) => w.subarray(0, 39)],
      ['no bytes', () => Buffer.alloc(0)],
      ['a huge input', () => Buffer.alloc(1 << 20)],
    ])('corrupted wrapped bytes (%s) fail with InvalidWrappedKey', async (_, corrupt) => {
      await hsm.ensureKek('vault-a');
      const { wrapped } = await hsm.generateDataKey('vault-a');
      await expect(hsm.unwrapDataKey('vault-a', corrupt(wrapped))).rejects.toMatchObject({
        name: 'HsmError',
        code: HsmErrorCodes.InvalidWrappedKey,
      });
    });

    it('leaves no session objects behind after many generates and unwraps, failing ones included', async () => {
      await hsm.ensureKek('vault-a');
      await hsm.ensureKek('vault-b');
      const keks = findAll().length;

      // The count sees session objects: one made on the probe session shows up until destroyed.
      const stray = probe.pkcs11.C_GenerateKey(probeSession, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      ]);
      expect(findAll()).toHaveLength(keks + 1);
      probe.pkcs11.C_DestroyObject(probeSession, stray);

      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 100; i++) {
        ops.push(
          hsm.generateDataKey('vault-a').then(async ({ plaintext, wrapped }) => {
            expect((await hsm.unwrapDataKey('vault-a', wrapped)).equals(plaintext)).toBe(true);
            await expect(hsm.unwrapDataKey('vault-b', wrapped)).rejects.toMatchObject({ code: HsmErrorCodes.InvalidWrappedKey });
          }),
        );
      }
      await Promise.all(ops);
      expect(findAll()).toHaveLength(keks);
      expect(findAll([{ type: pkcs11js.CKA_TOKEN, value: false }])).toHaveLength(0);
      expect(hsm.info().inFlight).toBe(0);
    });

    it('after close, operations fail with Closed', async () => {
      const second = await Pkcs11Hsm.open(options);
      await second.close();
      await second.close();
      await expect(second.generateDataKey('vault-a')).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
      // The first instance still works: the shared module stays initialised while it holds it.
      await expect(hsm.generateDataKey('vault-a')).resolves.toBeDefined();
    });
  });
});
