import { createThrowawayToken, ThrowawayToken } from '@coffer/testing';
import { createHash, createPublicKey, verify } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { MAX_MAC_INPUT_BYTES, SigningJwk } from './hsm.port';
import { HsmError, HsmErrorCodes } from './hsm.errors';
import { Pkcs11Hsm, Pkcs11HsmOptions } from './pkcs11-hsm';
import { acquirePkcs11Library, Pkcs11Library } from './pkcs11-library';
import {
  kekSearchTemplate, macKeySearchTemplate, P256_EC_PARAMS, signingKeySearchTemplate, signingPrivateKeyTemplate, signingPublicKeyTemplate,
} from './pkcs11-templates';
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

    describe('signing keys', () => {
      const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
      const verifies = (jwk: SigningJwk, data: Buffer, signature: Buffer) =>
        verify('sha256', data, { key: createPublicKey({ key: { ...jwk }, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, signature);
      const halvesOnToken = (keyId: string) => ({
        publics: findAll(signingKeySearchTemplate(keyId, 'public')),
        privates: findAll(signingKeySearchTemplate(keyId, 'private')),
      });
      const flag = (attr: pkcs11js.Attribute) => (attr.value as Buffer)[0] === 1;

      it('ensureSigningKey creates a P-256 pair once, then finds it with the same JWK', async () => {
        const first = await hsm.ensureSigningKey('sig-a');
        expect(first.created).toBe(true);
        expect(first.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: 'sig-a' });
        expect(Buffer.from(first.jwk.x, 'base64url')).toHaveLength(32);
        expect(Buffer.from(first.jwk.y, 'base64url')).toHaveLength(32);
        const second = await hsm.ensureSigningKey('sig-a');
        expect(second).toEqual({ jwk: first.jwk, created: false });
        const { publics, privates } = halvesOnToken('sig-a');
        expect(publics).toHaveLength(1);
        expect(privates).toHaveLength(1);
      });

      it('a signature over sha256(data) verifies with node:crypto; a tampered message or signature does not', async () => {
        const { jwk } = await hsm.ensureSigningKey('sig-a');
        const data = Buffer.from('{"sub":"alice","exp":1700000000}');
        const signature = await hsm.signDigest('sig-a', sha256(data));
        expect(signature).toHaveLength(64);
        expect(verifies(jwk, data, signature)).toBe(true);
        expect(verifies(jwk, Buffer.from('{"sub":"mallory","exp":1700000000}'), signature)).toBe(false);
        const flipped = Buffer.from(signature);
        flipped[10] ^= 0x01;
        expect(verifies(jwk, data, flipped)).toBe(false);
        // ECDSA is randomised: a second signature differs and verifies too.
        const again = await hsm.signDigest('sig-a', sha256(data));
        expect(again.equals(signature)).toBe(false);
        expect(verifies(jwk, data, again)).toBe(true);
      });

      it("another key's signature does not verify", async () => {
        const a = await hsm.ensureSigningKey('sig-a');
        const b = await hsm.ensureSigningKey('sig-b');
        expect(b.jwk.x).not.toBe(a.jwk.x);
        const data = Buffer.from('payload');
        expect(verifies(a.jwk, data, await hsm.signDigest('sig-b', sha256(data)))).toBe(false);
      });

      it('the private half is sensitive, always was, never extractable, and its value cannot be read', async () => {
        await hsm.ensureSigningKey('sig-a');
        const { privates: [priv], publics: [pub] } = halvesOnToken('sig-a');
        const attrs = probe.pkcs11.C_GetAttributeValue(probeSession, priv, [
          { type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_ALWAYS_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE },
          { type: pkcs11js.CKA_NEVER_EXTRACTABLE }, { type: pkcs11js.CKA_PRIVATE }, { type: pkcs11js.CKA_TOKEN }, { type: pkcs11js.CKA_SIGN },
          { type: pkcs11js.CKA_DECRYPT }, { type: pkcs11js.CKA_DERIVE },
        ]);
        expect(attrs.map(flag)).toEqual([true, true, false, true, true, true, true, false, false]);
        expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, priv, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
        // Both halves share label and CKA_ID; the public half can only verify and is on P-256.
        const [privId, privLabel] = probe.pkcs11.C_GetAttributeValue(probeSession, priv, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }]);
        const [pubId, pubLabel, verifyFlag, encrypt, params] = probe.pkcs11.C_GetAttributeValue(probeSession, pub, [
          { type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_VERIFY }, { type: pkcs11js.CKA_ENCRYPT },
          { type: pkcs11js.CKA_EC_PARAMS },
        ]);
        expect(pubId.value).toEqual(privId.value);
        expect(pubLabel.value?.toString()).toBe('coffer-sign:sig-a');
        expect(privLabel.value?.toString()).toBe('coffer-sign:sig-a');
        expect(flag(verifyFlag)).toBe(true);
        expect(flag(encrypt)).toBe(false);
        expect(params.value).toEqual(P256_EC_PARAMS);
      });

      it('ensureSigningKey called concurrently for one id creates exactly one pair', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => hsm.ensureSigningKey('sig-concurrent')));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        results.forEach((r) => expect(r.jwk).toEqual(results[0].jwk));
        const { publics, privates } = halvesOnToken('sig-concurrent');
        expect(publics).toHaveLength(1);
        expect(privates).toHaveLength(1);
      });

      it('an unknown keyId is KeyNotFound and nothing is created for it; a KEK of that name does not count', async () => {
        await expect(hsm.signDigest('sig-never', Buffer.alloc(32))).rejects.toMatchObject({ name: 'HsmError', code: HsmErrorCodes.KeyNotFound });
        await hsm.ensureKek('kek-not-signing');
        await expect(hsm.signDigest('kek-not-signing', Buffer.alloc(32))).rejects.toMatchObject({ code: HsmErrorCodes.KeyNotFound });
        const { publics, privates } = halvesOnToken('sig-never');
        expect(publics.length + privates.length).toBe(0);
      });

      it.each([0, 1, 20, 31, 33, 48, 64])('a %i-byte digest is InvalidDigest before it reaches the HSM', async (n) => {
        await hsm.ensureSigningKey('sig-a');
        const err = await hsm.signDigest('sig-a', Buffer.alloc(n, 1)).catch((e) => e);
        expect(err).toBeInstanceOf(HsmError);
        expect(err.code).toBe(HsmErrorCodes.InvalidDigest);
        expect(err.ckr).toBeUndefined();
        expect(hsm.info().inFlight).toBe(0);
      });

      it('a pair created by an earlier process is found without ensure, and signs for the same JWK', async () => {
        const { jwk } = await hsm.ensureSigningKey('sig-persisted');
        await hsm.close();
        hsm = await Pkcs11Hsm.open(options);
        const data = Buffer.from('after restart');
        expect(verifies(jwk, data, await hsm.signDigest('sig-persisted', sha256(data)))).toBe(true);
        expect(await hsm.ensureSigningKey('sig-persisted')).toEqual({ jwk, created: false });
      });

      it('with duplicate pairs under one label (a cross-process race), halves are matched by CKA_ID and every process picks the same pair', async () => {
        const { jwk: ours } = await hsm.ensureSigningKey('sig-raced');
        // Another "process" makes a second pair with the lowest possible CKA_ID, plus a private half with no public half.
        const slot = probe.pkcs11.C_GetSlotList(true).find((s) => probe.pkcs11.C_GetTokenInfo(s).label.trim() === token.label)!;
        const rw = probe.pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        try {
          const lowest = Buffer.alloc(16, 0);
          const theirs = probe.pkcs11.C_GenerateKeyPair(rw, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
            signingPublicKeyTemplate('sig-raced', lowest), signingPrivateKeyTemplate('sig-raced', lowest));
          const orphan = probe.pkcs11.C_GenerateKeyPair(rw, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
            signingPublicKeyTemplate('sig-raced', Buffer.alloc(1, 0)), signingPrivateKeyTemplate('sig-raced', Buffer.alloc(1, 0)));
          probe.pkcs11.C_DestroyObject(rw, orphan.publicKey);
          const [point] = probe.pkcs11.C_GetAttributeValue(rw, theirs.publicKey, [{ type: pkcs11js.CKA_EC_POINT }]);
          const theirPoint = (point.value as Buffer).subarray(3);

          const fresh = await Pkcs11Hsm.open(options);
          try {
            const { jwk, created } = await fresh.ensureSigningKey('sig-raced');
            expect(created).toBe(false);
            expect(jwk).not.toEqual(ours);
            expect(Buffer.from(jwk.x, 'base64url')).toEqual(theirPoint.subarray(0, 32));
            expect(Buffer.from(jwk.y, 'base64url')).toEqual(theirPoint.subarray(32));
            const data = Buffer.from('raced');
            expect(verifies(jwk, data, await fresh.signDigest('sig-raced', sha256(data)))).toBe(true);
          } finally {
            await fresh.close();
          }
        } finally {
          probe.pkcs11.C_CloseSession(rw);
        }
      });

      it('serves many signatures in parallel and leaves no session objects behind', async () => {
        const { jwk } = await hsm.ensureSigningKey('sig-a');
        const objects = findAll().length;
        const data = Array.from({ length: 200 }, (_, i) => Buffer.from(`message ${i}`));
        const signatures = await Promise.all(data.map((d) => hsm.signDigest('sig-a', sha256(d))));
        signatures.forEach((sig, i) => expect(verifies(jwk, data[i], sig)).toBe(true));
        expect(findAll()).toHaveLength(objects);
        expect(findAll([{ type: pkcs11js.CKA_TOKEN, value: false }])).toHaveLength(0);
        expect(hsm.info().inFlight).toBe(0);
      });
    });

    describe('keyed hashes (HMAC-SHA256)', () => {
      const macKeysOnToken = (keyId: string) => findAll(macKeySearchTemplate(keyId));
      const flag = (attr: pkcs11js.Attribute) => (attr.value as Buffer)[0] === 1;

      it('makes the key once, on first use, and hashes deterministically: same data same MAC, other data or key another', async () => {
        expect(macKeysOnToken('mac-a')).toHaveLength(0);
        const [a1, a2, b] = await Promise.all([hsm.keyedHash('mac-a', Buffer.from('one')), hsm.keyedHash('mac-a', Buffer.from('one')), hsm.keyedHash('mac-a', Buffer.from('two'))]);
        expect(a1).toHaveLength(32);
        expect(a1.equals(a2)).toBe(true);
        expect(a1.equals(b)).toBe(false);
        expect((await hsm.keyedHash('mac-b', Buffer.from('one'))).equals(a1)).toBe(false);
        expect(macKeysOnToken('mac-a')).toHaveLength(1);
      });

      it('the key is a sensitive 256-bit generic secret that never was extractable, can only sign and verify, and its value cannot be read', async () => {
        await hsm.keyedHash('mac-a', Buffer.from('x'));
        const [key] = macKeysOnToken('mac-a');
        const attrs = probe.pkcs11.C_GetAttributeValue(probeSession, key, [
          { type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_ALWAYS_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }, { type: pkcs11js.CKA_NEVER_EXTRACTABLE },
          { type: pkcs11js.CKA_PRIVATE }, { type: pkcs11js.CKA_TOKEN }, { type: pkcs11js.CKA_SIGN }, { type: pkcs11js.CKA_VERIFY },
          { type: pkcs11js.CKA_ENCRYPT }, { type: pkcs11js.CKA_DECRYPT }, { type: pkcs11js.CKA_WRAP }, { type: pkcs11js.CKA_DERIVE },
        ]);
        expect(attrs.map(flag)).toEqual([true, true, false, true, true, true, true, true, false, false, false, false]);
        const [length] = probe.pkcs11.C_GetAttributeValue(probeSession, key, [{ type: pkcs11js.CKA_VALUE_LEN }]);
        expect(Number((length.value as Buffer).readBigUInt64LE(0))).toBe(32);
        expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, key, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      });

      it('made concurrently for one id, there is exactly one key; a later process finds it and hashes the same', async () => {
        const macs = await Promise.all(Array.from({ length: 20 }, () => hsm.keyedHash('mac-concurrent', Buffer.from('same'))));
        macs.forEach((m) => expect(m.equals(macs[0])).toBe(true));
        expect(macKeysOnToken('mac-concurrent')).toHaveLength(1);
        await hsm.close();
        hsm = await Pkcs11Hsm.open(options);
        expect((await hsm.keyedHash('mac-concurrent', Buffer.from('same'))).equals(macs[0])).toBe(true);
        expect(macKeysOnToken('mac-concurrent')).toHaveLength(1);
      });

      it('ensureMacKey makes the key once (created, then present) and a second instance hashes under the same key', async () => {
        expect(await hsm.ensureMacKey('mac-ensured')).toEqual({ created: true });
        expect(await hsm.ensureMacKey('mac-ensured')).toEqual({ created: false });
        const other = await Pkcs11Hsm.open(options);
        try {
          expect(await other.ensureMacKey('mac-ensured')).toEqual({ created: false });
          const [mine, theirs] = await Promise.all([hsm.keyedHash('mac-ensured', Buffer.from('x')), other.keyedHash('mac-ensured', Buffer.from('x'))]);
          expect(theirs.equals(mine)).toBe(true);
        } finally {
          await other.close();
        }
        expect(macKeysOnToken('mac-ensured')).toHaveLength(1);
      });

      it('refuses input over the limit before it reaches the HSM, and leaves no session objects behind', async () => {
        await expect(hsm.keyedHash('mac-a', Buffer.alloc(MAX_MAC_INPUT_BYTES + 1))).rejects.toMatchObject({ name: 'HsmError', code: HsmErrorCodes.InvalidInput });
        expect((await hsm.keyedHash('mac-a', Buffer.alloc(MAX_MAC_INPUT_BYTES)))).toHaveLength(32);
        await Promise.all(Array.from({ length: 100 }, (_, i) => hsm.keyedHash('mac-a', Buffer.from(`m${i}`))));
        expect(findAll([{ type: pkcs11js.CKA_TOKEN, value: false }])).toHaveLength(0);
        expect(hsm.info().inFlight).toBe(0);
      });
    });

    it('after close, operations fail with Closed', async () => {
      const second = await Pkcs11Hsm.open(options);
      await second.close();
      await second.close();
      await expect(second.generateDataKey('vault-a')).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
      await expect(second.signDigest('sig-a', Buffer.alloc(32))).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
      await expect(second.ensureSigningKey('sig-a')).rejects.toMatchObject({ code: HsmErrorCodes.Closed });
      // The first instance still works: the shared module stays initialised while it holds it.
      await expect(hsm.generateDataKey('vault-a')).resolves.toBeDefined();
    });
  });
});
