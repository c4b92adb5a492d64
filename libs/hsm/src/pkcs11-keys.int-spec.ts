import { PublicKeyMaterial, SIGNATURE_SPECS, SignatureAlgorithm } from '@coffer/contracts';
import { createThrowawayToken, setHostEnv, ThrowawayToken } from '@coffer/testing';
import {
  constants, createCipheriv, createDecipheriv, createHash, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject, publicEncrypt,
  randomBytes, verify,
} from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { HsmError, HsmErrorCodes } from './hsm.errors';
import { KeyGenerationSpec } from './hsm-keys.port';
import { CURVE_INFO } from './key-mechanisms';
import { backupWrapKeySearchTemplate, keyObjectsTemplate } from './key-templates';
import { acquirePkcs11Library, Pkcs11Library } from './pkcs11-library';
import { Pkcs11Hsm } from './pkcs11-hsm';
import { Pkcs11Keys } from './pkcs11-keys';

/** Coffer keys on a real SoftHSM token (throwaway, with the trusted backup key as init-token.sh makes it). */
describe('Pkcs11Keys on SoftHSM', () => {
  let token: ThrowawayToken;
  let restoreEnv: (() => void) | undefined;
  let hsm: Pkcs11Hsm;
  let keys: Pkcs11Keys;
  let probe: Pkcs11Library;
  let probeSession: pkcs11js.Handle;
  let seq = 0;
  /** A fresh hsmKeyId per key. */
  const newId = () => `vault-keys/key-${++seq}/${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    token = createThrowawayToken('coffer-keys-int');
    restoreEnv = setHostEnv('SOFTHSM2_CONF', token.conf);
    hsm = await Pkcs11Hsm.open({ module: token.module, token: token.label, pin: token.pin, sessions: 4, asyncSessions: 4 });
    keys = hsm.keys;
    probe = acquirePkcs11Library(token.module);
    const slot = probe.pkcs11.C_GetSlotList(true).find((s) => probe.pkcs11.C_GetTokenInfo(s).label.trim() === token.label)!;
    probeSession = probe.pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  });

  afterAll(async () => {
    if (probeSession) probe.pkcs11.C_CloseSession(probeSession);
    await hsm?.close();
    probe?.release();
    token?.remove();
    restoreEnv?.();
  });

  const findAll = (template: pkcs11js.Template) => {
    probe.pkcs11.C_FindObjectsInit(probeSession, template);
    try {
      return probe.pkcs11.C_FindObjects(probeSession, 10_000);
    } finally {
      probe.pkcs11.C_FindObjectsFinal(probeSession);
    }
  };
  const objectsOf = (hsmKeyId: string) => findAll(keyObjectsTemplate(hsmKeyId));
  const sessionObjects = () => findAll([{ type: pkcs11js.CKA_TOKEN, value: false }]);
  const tokenObjects = () => findAll([{ type: pkcs11js.CKA_TOKEN, value: true }]);
  const flag = (object: pkcs11js.Handle, type: number) =>
    (probe.pkcs11.C_GetAttributeValue(probeSession, object, [{ type }])[0].value as Buffer)[0] === 1;
  const privateHalf = (hsmKeyId: string) =>
    objectsOf(hsmKeyId).find((o) => {
      const cls = (probe.pkcs11.C_GetAttributeValue(probeSession, o, [{ type: pkcs11js.CKA_CLASS }])[0].value as Buffer).readUInt32LE(0);
      return cls === pkcs11js.CKO_PRIVATE_KEY || cls === pkcs11js.CKO_SECRET_KEY;
    })!;

  const nodeKey = (material: PublicKeyMaterial): KeyObject => {
    const jwk = (material.kty === 'EC' ? { ...material, crv: CURVE_INFO[material.crv].nodeCrv } : material) as JsonWebKey;
    return createPublicKey({ key: jwk, format: 'jwk' });
  };
  /** Verifies with node:crypto alone, from the public JWK the HSM returned. */
  const verifies = (material: PublicKeyMaterial, alg: SignatureAlgorithm, data: Buffer, signature: Buffer) => {
    const spec = SIGNATURE_SPECS[alg];
    const key = nodeKey(material);
    if (spec.family === 'EC') return verify(spec.digest, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (spec.padding === 'pss') return verify(spec.digest, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.digestBytes }, signature);
    return verify(spec.digest, data, key, signature);
  };
  const digestOf = (alg: SignatureAlgorithm, data: Buffer) => createHash(SIGNATURE_SPECS[alg].digest).update(data).digest();
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (err) => (err instanceof HsmError ? err.code : `not an HsmError: ${err}`),
    );

  describe('generation and signatures', () => {
    const rsaId = newId();
    let rsa: PublicKeyMaterial;
    beforeAll(async () => {
      rsa = await keys.generateKey(rsaId, { kty: 'RSA', size: 2048 });
    });

    it('returns the RSA public half as base64url n and e', () => {
      expect(rsa).toEqual({ kty: 'RSA', n: expect.stringMatching(/^[A-Za-z0-9_-]{342}$/), e: 'AQAB' });
    });

    it.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const)('%s verifies with node:crypto', async (alg) => {
      const data = Buffer.from(`message for ${alg}`);
      const signature = await keys.sign(rsaId, alg, digestOf(alg, data));
      expect(signature).toHaveLength(256);
      expect(verifies(rsa, alg, data, signature)).toBe(true);
      expect(verifies(rsa, alg, Buffer.from('another message'), signature)).toBe(false);
    });

    it.each([
      ['ES256', 'P-256', 64],
      ['ES384', 'P-384', 96],
      ['ES512', 'P-521', 132],
      ['ES256K', 'P-256K', 64],
    ] as const)('%s on %s verifies with node:crypto as r||s of %d bytes', async (alg, crv, length) => {
      const id = newId();
      const ec = await keys.generateKey(id, { kty: 'EC', crv });
      expect(ec).toEqual({ kty: 'EC', crv, x: expect.any(String), y: expect.any(String) });
      const data = Buffer.from(`message for ${alg}`);
      for (let i = 0; i < 5; i++) {
        const signature = await keys.sign(id, alg, digestOf(alg, data));
        expect(signature).toHaveLength(length);
        expect(verifies(ec, alg, data, signature)).toBe(true);
      }
      expect(objectsOf(id)).toHaveLength(2);
    });

    it.each([3072, 4096])('RSA-%d generates (on the thread pool) and signs', async (size) => {
      const id = newId();
      const pub = await keys.generateKey(id, { kty: 'RSA', size });
      const data = Buffer.from('big key');
      const signature = await keys.sign(id, 'PS512', digestOf('PS512', data));
      expect(signature).toHaveLength(size / 8);
      expect(verifies(pub, 'PS512', data, signature)).toBe(true);
      // Only the private half stays on the token: n and e are read from it.
      expect(objectsOf(id)).toHaveLength(1);
    });

    it('honours a public exponent', async () => {
      const id = newId();
      const pub = await keys.generateKey(id, { kty: 'RSA', publicExponent: 3 });
      expect(pub).toMatchObject({ kty: 'RSA', e: 'Aw' });
      const data = Buffer.from('e=3');
      expect(verifies(pub, 'RS256', data, await keys.sign(id, 'RS256', digestOf('RS256', data)))).toBe(true);
    });

    it('an identical retry answers the existing key; a different one is KeyExists', async () => {
      expect(await keys.generateKey(rsaId, { kty: 'RSA', size: 2048 })).toEqual(rsa);
      expect(await keys.publicKey(rsaId)).toEqual(rsa);
      expect(await code(keys.generateKey(rsaId, { kty: 'RSA', size: 3072 }))).toBe(HsmErrorCodes.KeyExists);
      expect(await code(keys.generateKey(rsaId, { kty: 'EC' }))).toBe(HsmErrorCodes.KeyExists);
      expect(objectsOf(rsaId)).toHaveLength(1);
    });

    it('concurrent generations of one id make one key', async () => {
      const id = newId();
      const results = await Promise.all(Array.from({ length: 5 }, () => keys.generateKey(id, { kty: 'EC', crv: 'P-384' })));
      results.forEach((r) => expect(r).toEqual(results[0]));
      expect(objectsOf(id)).toHaveLength(2);
    });

    it('64 RSA signatures in parallel all verify, and the async sessions come back', async () => {
      const data = Array.from({ length: 64 }, (_, i) => Buffer.from(`parallel ${i}`));
      const signatures = await Promise.all(data.map((d) => keys.sign(rsaId, 'RS256', digestOf('RS256', d))));
      signatures.forEach((s, i) => expect(verifies(rsa, 'RS256', data[i], s)).toBe(true));
    });

    it('sustained parallel RSA signing from the thread pool does not corrupt the module (CKF_OS_LOCKING_OK)', async () => {
      // Without locking, SoftHSM crashed the process within a second of this load.
      const until = Date.now() + 1500;
      let done = 0;
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (Date.now() < until) {
          await keys.sign(rsaId, 'RS256', digestOf('RS256', Buffer.from(String(done))));
          done++;
        }
      }));
      expect(done).toBeGreaterThan(100);
    });

    it('batch signing: every item verifies, a bad item fails alone', async () => {
      const data = Array.from({ length: 20 }, (_, i) => Buffer.from(`batch ${i}`));
      const digests = data.map((d) => digestOf('PS256', d));
      digests[7] = Buffer.alloc(31);
      const results = await keys.signBatch(rsaId, 'PS256', digests);
      results.forEach((r, i) => {
        if (i === 7) expect(r).toMatchObject({ code: HsmErrorCodes.InvalidDigest });
        else expect(verifies(rsa, 'PS256', data[i], r as Buffer)).toBe(true);
      });
      await expect(keys.signBatch(rsaId, 'ES256', digests)).rejects.toMatchObject({ code: HsmErrorCodes.UnsupportedAlgorithm });
    });
  });

  describe('RSA encryption', () => {
    const id = newId();
    let pub: KeyObject;
    beforeAll(async () => {
      pub = nodeKey(await keys.generateKey(id, { kty: 'RSA' }));
    });

    it.each([
      ['RSA-OAEP', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }],
      ['RSA-OAEP-256', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }],
      ['RSA1_5', { padding: constants.RSA_PKCS1_PADDING }],
    ] as const)('data node:crypto encrypted with %s decrypts and unwraps in the HSM', async (alg, options) => {
      for (const length of [1, 32, 100]) {
        const plaintext = randomBytes(length);
        const ciphertext = publicEncrypt({ key: pub, ...options }, plaintext);
        expect((await keys.decrypt(id, alg, { value: ciphertext })).equals(plaintext)).toBe(true);
        expect((await keys.unwrapKey(id, alg, ciphertext)).equals(plaintext)).toBe(true);
      }
      // Its own encrypt and wrap (software, on the public half) round-trip too.
      const plaintext = randomBytes(32);
      const { value } = await keys.encrypt(id, alg, plaintext);
      expect((await keys.decrypt(id, alg, { value })).equals(plaintext)).toBe(true);
      expect((await keys.unwrapKey(id, alg, await keys.wrapKey(id, alg, plaintext))).equals(plaintext)).toBe(true);
    });

    it.each(['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const)('%s: garbage, a flipped bit or a wrong length is one generic error', async (alg) => {
      const good = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === 'RSA-OAEP-256' ? 'sha256' : 'sha1' }, Buffer.from('x'));
      const flipped = Buffer.from(good);
      flipped[100] ^= 1;
      for (const bad of [randomBytes(256), flipped, good.subarray(1), Buffer.alloc(256, 0xff)]) {
        if (alg === 'RSA1_5' && bad === flipped) continue;
        expect(await code(keys.decrypt(id, alg, { value: bad }))).toBe(HsmErrorCodes.DecryptionFailed);
        expect(await code(keys.unwrapKey(id, alg, bad))).toBe(HsmErrorCodes.InvalidWrappedKey);
      }
    });

    it('refuses plaintext too long for the padding', async () => {
      expect(await code(keys.encrypt(id, 'RSA-OAEP-256', Buffer.alloc(256 - 65)))).toBe(HsmErrorCodes.InvalidInput);
      expect(await code(keys.encrypt(id, 'RSA-OAEP-256', Buffer.alloc(256 - 66)))).toBe('resolved');
    });
  });

  describe('oct keys', () => {
    const knownKey = randomBytes(32);
    const known = newId();
    beforeAll(async () => {
      await keys.importKey(known, { kty: 'oct', k: knownKey.toString('base64url') });
    });

    it('AES-GCM output decrypts with node:crypto given the imported key, and the reverse', async () => {
      const plaintext = Buffer.from('attack at dawn');
      const aad = Buffer.from('header');
      const { value, iv, tag } = await keys.encrypt(known, 'A256GCM', plaintext, aad);
      expect(iv).toHaveLength(12);
      expect(tag).toHaveLength(16);
      const decipher = createDecipheriv('aes-256-gcm', knownKey, iv!).setAAD(aad).setAuthTag(tag!);
      expect(Buffer.concat([decipher.update(value), decipher.final()]).equals(plaintext)).toBe(true);

      const nodeIv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', knownKey, nodeIv).setAAD(aad);
      const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const out = await keys.decrypt(known, 'A256GCM', { value: ct, iv: nodeIv, tag: cipher.getAuthTag(), aad });
      expect(out.equals(plaintext)).toBe(true);
    });

    it('a fresh IV every time', async () => {
      const ivs = new Set<string>();
      for (let i = 0; i < 50; i++) ivs.add((await keys.encrypt(known, 'A256GCM', Buffer.from('x'))).iv!.toString('hex'));
      expect(ivs.size).toBe(50);
    });

    it('A256KW output equals node:crypto id-aes256-wrap and unwraps back', async () => {
      for (const length of [16, 32, 64]) {
        const secret = randomBytes(length);
        const wrapped = await keys.wrapKey(known, 'A256KW', secret);
        const cipher = createCipheriv('id-aes256-wrap', knownKey, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
        expect(wrapped.equals(Buffer.concat([cipher.update(secret), cipher.final()]))).toBe(true);
        expect((await keys.unwrapKey(known, 'A256KW', wrapped)).equals(secret)).toBe(true);
      }
    });

    it.each([
      [128, 'A128GCM', 'A128KW'],
      [192, 'A192GCM', 'A192KW'],
      [256, 'A256GCM', 'A256KW'],
    ] as const)('a generated %d-bit key encrypts/decrypts with %s and wraps/unwraps with %s', async (size, gcm, kw) => {
      const id = newId();
      expect(await keys.generateKey(id, { kty: 'oct', size })).toEqual({ kty: 'oct' });
      const plaintext = randomBytes(100);
      const { value, iv, tag } = await keys.encrypt(id, gcm, plaintext);
      expect((await keys.decrypt(id, gcm, { value, iv, tag })).equals(plaintext)).toBe(true);
      const secret = randomBytes(24);
      expect((await keys.unwrapKey(id, kw, await keys.wrapKey(id, kw, secret))).equals(secret)).toBe(true);
      const other = size === 256 ? 'A128KW' : 'A256KW';
      expect(await code(keys.wrapKey(id, other, secret))).toBe(HsmErrorCodes.UnsupportedAlgorithm);
    });

    it('a tampered ciphertext, tag, iv or aad is DecryptionFailed', async () => {
      const aad = Buffer.from('bound');
      const { value, iv, tag } = await keys.encrypt(known, 'A256GCM', Buffer.from('secret value'), aad);
      const flip = (b: Buffer) => { const c = Buffer.from(b); c[0] ^= 1; return c; };
      for (const input of [
        { value: flip(value), iv, tag, aad }, { value, iv: flip(iv!), tag, aad }, { value, iv, tag: flip(tag!), aad }, { value, iv, tag, aad: flip(aad) },
        { value, iv, tag },
      ]) {
        expect(await code(keys.decrypt(known, 'A256GCM', input))).toBe(HsmErrorCodes.DecryptionFailed);
      }
    });

    it('batch encryption: each item decrypts', async () => {
      const items = Array.from({ length: 10 }, (_, i) => ({ value: Buffer.from(`item ${i}`), aad: Buffer.from(`aad ${i}`) }));
      const results = await keys.encryptBatch(known, 'A256GCM', items);
      for (const [i, r] of results.entries()) {
        const { value, iv, tag } = r as { value: Buffer; iv: Buffer; tag: Buffer };
        expect((await keys.decrypt(known, 'A256GCM', { value, iv, tag, aad: items[i].aad })).equals(items[i].value)).toBe(true);
      }
    });
  });

  describe('key protection', () => {
    const specs: Array<[string, KeyGenerationSpec]> = [['RSA', { kty: 'RSA' }], ['EC', { kty: 'EC', crv: 'P-256K' }], ['oct', { kty: 'oct', size: 128 }]];
    /** An ordinary (not trusted) AES key that may wrap. */
    let ordinary: pkcs11js.Handle;
    let trusted: pkcs11js.Handle;
    beforeAll(() => {
      ordinary = probe.pkcs11.C_GenerateKey(probeSession, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_VALUE_LEN, value: 32 }, { type: pkcs11js.CKA_WRAP, value: true },
      ]);
      [trusted] = findAll(backupWrapKeySearchTemplate());
    });
    afterAll(() => probe.pkcs11.C_DestroyObject(probeSession, ordinary));

    it('the token has exactly one trusted backup key: sensitive, never extractable, wrap/unwrap only', () => {
      expect(findAll(backupWrapKeySearchTemplate())).toHaveLength(1);
      expect(flag(trusted, pkcs11js.CKA_TRUSTED)).toBe(true);
      expect(flag(trusted, pkcs11js.CKA_SENSITIVE)).toBe(true);
      expect(flag(trusted, pkcs11js.CKA_EXTRACTABLE)).toBe(false);
      expect(flag(trusted, pkcs11js.CKA_ENCRYPT)).toBe(false);
      expect(flag(trusted, pkcs11js.CKA_WRAP)).toBe(true);
      expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, trusted, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
    });

    it.each(specs)('a generated %s key is always sensitive, unreadable, and only the trusted key can wrap it', async (_, spec) => {
      const id = newId();
      await keys.generateKey(id, spec);
      const key = privateHalf(id);
      for (const attr of [pkcs11js.CKA_SENSITIVE, pkcs11js.CKA_ALWAYS_SENSITIVE, pkcs11js.CKA_PRIVATE, pkcs11js.CKA_TOKEN, pkcs11js.CKA_WRAP_WITH_TRUSTED]) {
        expect([attr, flag(key, attr)]).toEqual([attr, true]);
      }
      const secretAttr = spec.kty === 'RSA' ? pkcs11js.CKA_PRIVATE_EXPONENT : pkcs11js.CKA_VALUE;
      expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, key, [{ type: secretAttr }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      const wrapWith = (wrappingKey: pkcs11js.Handle) =>
        probe.pkcs11.C_WrapKey(probeSession, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, wrappingKey, key, Buffer.alloc(8192));
      expect(() => wrapWith(ordinary)).toThrow(/CKR_KEY_NOT_WRAPPABLE/);
      expect(wrapWith(trusted).length).toBeGreaterThan(16);
    });

    it('an imported key is sensitive and unwrappable by ordinary keys, and honestly not ALWAYS_SENSITIVE', async () => {
      const id = newId();
      const jwk = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
      await keys.importKey(id, jwk as Record<string, string>);
      const key = privateHalf(id);
      expect(flag(key, pkcs11js.CKA_SENSITIVE)).toBe(true);
      expect(flag(key, pkcs11js.CKA_ALWAYS_SENSITIVE)).toBe(false);
      expect(flag(key, pkcs11js.CKA_WRAP_WITH_TRUSTED)).toBe(true);
      expect(() => probe.pkcs11.C_GetAttributeValue(probeSession, key, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      expect(() =>
        probe.pkcs11.C_WrapKey(probeSession, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, ordinary, key, Buffer.alloc(8192)),
      ).toThrow(/CKR_KEY_NOT_WRAPPABLE/);
    });
  });

  describe('import', () => {
    it.each([
      ['RSA', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'RS256' as const],
      ['EC P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256' as const],
      ['EC P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, 'ES512' as const],
      ['EC secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, 'ES256K' as const],
    ])('a %s JWK imports and signs verifiably with its own public key', async (_, make, alg) => {
      const privateKey = make();
      const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
      if (jwk.crv === 'secp256k1') jwk.crv = 'P-256K';
      const id = newId();
      const pub = await keys.importKey(id, jwk);
      const data = Buffer.from('imported');
      const signature = await keys.sign(id, alg, digestOf(alg, data));
      const spec = SIGNATURE_SPECS[alg];
      expect(verify(spec.digest, data, { key: createPublicKey(privateKey), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
      expect(verifies(pub, alg, data, signature)).toBe(true);
      // An identical retry is answered; another key under the id is not.
      expect(await keys.importKey(id, jwk)).toEqual(pub);
      expect(await code(keys.importKey(id, { kty: 'oct', k: randomBytes(32).toString('base64url') }))).toBe(HsmErrorCodes.KeyExists);
    });

    it('refuses bad JWKs with InvalidInput, leaving nothing on the token', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const before = tokenObjects().length;
      const bad: Array<Record<string, unknown>> = [
        { ...rsa, n: other.n },
        { ...rsa, qi: undefined },
        { ...rsa, d: 'not*base64' },
        small,
        { ...ec, crv: 'P-384' },
        { ...ec, d: other.d },
        { ...ec, x: ec.y },
        { kty: 'oct', k: randomBytes(20).toString('base64url') },
        { kty: 'oct' },
        { kty: 'OKP', crv: 'Ed25519', x: 'AA', d: 'AA' },
      ];
      for (const jwk of bad) {
        const id = newId();
        const err = await keys.importKey(id, jwk).catch((e) => e);
        expect([jwk, err]).toEqual([jwk, expect.objectContaining({ code: HsmErrorCodes.InvalidInput })]);
        // Never the key's material in the message.
        for (const value of Object.values(jwk)) if (typeof value === 'string' && value.length > 8) expect(err.message).not.toContain(value);
      }
      expect(tokenObjects()).toHaveLength(before);
      expect(sessionObjects()).toHaveLength(0);
    });
  });

  describe('destroy, export and restore', () => {
    it('destroy removes every object of the given versions, idempotently', async () => {
      const [a, b, c] = [newId(), newId(), newId()];
      await keys.generateKey(a, { kty: 'RSA' });
      await keys.generateKey(b, { kty: 'EC' });
      await keys.generateKey(c, { kty: 'oct' });
      await keys.sign(a, 'RS256', Buffer.alloc(32)); // cached
      const before = tokenObjects().length;
      expect(await keys.destroyKeys([a, b, newId()])).toBe(3);
      expect(tokenObjects()).toHaveLength(before - 3);
      expect(objectsOf(a)).toHaveLength(0);
      expect(objectsOf(b)).toHaveLength(0);
      expect(objectsOf(c)).toHaveLength(1);
      expect(await keys.destroyKeys([a, b])).toBe(0);
      expect(await code(keys.sign(a, 'RS256', Buffer.alloc(32)))).toBe(HsmErrorCodes.KeyNotFound);
      expect(await code(keys.publicKey(b))).toBe(HsmErrorCodes.KeyNotFound);
    });

    it.each([
      ['RSA', { kty: 'RSA', size: 3072 }, 'PS384'],
      ['EC', { kty: 'EC', crv: 'P-521' }, 'ES512'],
    ] as const)('%s: export → destroy → restore, and the restored key signs for the old public key', async (_, spec, alg) => {
      const id = newId();
      const pub = await keys.generateKey(id, spec);
      const exported = await keys.exportKey(id);
      expect(exported).toMatchObject({ kty: spec.kty, publicKey: pub });
      expect(await keys.destroyKeys([id])).toBeGreaterThan(0);
      expect(await keys.restoreKey(id, exported)).toEqual(pub);
      const key = privateHalf(id);
      expect(flag(key, pkcs11js.CKA_SENSITIVE)).toBe(true);
      expect(flag(key, pkcs11js.CKA_WRAP_WITH_TRUSTED)).toBe(true);
      const data = Buffer.from('after restore');
      expect(verifies(pub, alg, data, await keys.sign(id, alg, digestOf(alg, data)))).toBe(true);
      // Restoring again over the same key is an idempotent retry.
      expect(await keys.restoreKey(id, exported)).toEqual(pub);
    });

    it('oct: export → destroy → restore, and old ciphertext still decrypts', async () => {
      const id = newId();
      await keys.generateKey(id, { kty: 'oct', size: 192 });
      const { value, iv, tag } = await keys.encrypt(id, 'A192GCM', Buffer.from('kept'));
      const exported = await keys.exportKey(id);
      await keys.destroyKeys([id]);
      await keys.restoreKey(id, exported);
      expect((await keys.decrypt(id, 'A192GCM', { value, iv, tag })).toString()).toBe('kept');
    });

    it('a backup that is corrupt, or whose public key is another, restores nothing', async () => {
      const id = newId();
      const exported = await keys.exportKey((await keys.generateKey(id, { kty: 'EC' }), id));
      const stranger = await keys.generateKey(newId(), { kty: 'EC' });
      const before = tokenObjects().length;
      const corrupt = Buffer.from(exported.wrapped);
      corrupt[10] ^= 1;
      expect(await code(keys.restoreKey(newId(), { ...exported, wrapped: corrupt }))).toBe(HsmErrorCodes.InvalidWrappedKey);
      expect(await code(keys.restoreKey(newId(), { ...exported, publicKey: stranger }))).toBe(HsmErrorCodes.InvalidInput);
      expect(await code(keys.restoreKey(newId(), { ...exported, kty: 'RSA' }))).toBe(HsmErrorCodes.InvalidInput);
      expect(await code(keys.restoreKey(id, { ...exported, publicKey: stranger }))).toBe(HsmErrorCodes.KeyExists);
      expect(tokenObjects()).toHaveLength(before);
    });
  });

  describe('rewrap', () => {
    it('RSA-OAEP-256 from one key version to another: the result decrypts under the target', async () => {
      const [from, to] = [newId(), newId()];
      const fromKey = nodeKey(await keys.generateKey(from, { kty: 'RSA' }));
      const toPub = await keys.generateKey(to, { kty: 'RSA', size: 3072 });
      const secret = randomBytes(32);
      const wrapped = publicEncrypt({ key: fromKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, secret);
      const rewrapped = await keys.rewrap(from, to, 'RSA-OAEP-256', wrapped, toPub);
      expect(rewrapped).toHaveLength(384);
      expect((await keys.unwrapKey(to, 'RSA-OAEP-256', rewrapped)).equals(secret)).toBe(true);
      expect(await code(keys.rewrap(from, to, 'RSA-OAEP-256', wrapped, await keys.publicKey(from)))).toBe(HsmErrorCodes.InvalidInput);
    });

    it('A256KW between oct versions, in the HSM', async () => {
      const [from, to] = [newId(), newId()];
      await keys.generateKey(from, { kty: 'oct' });
      await keys.generateKey(to, { kty: 'oct' });
      const secret = randomBytes(32);
      const rewrapped = await keys.rewrap(from, to, 'A256KW', await keys.wrapKey(from, 'A256KW', secret));
      expect((await keys.unwrapKey(to, 'A256KW', rewrapped)).equals(secret)).toBe(true);
      expect(await code(keys.unwrapKey(from, 'A256KW', rewrapped))).toBe(HsmErrorCodes.InvalidWrappedKey);
    });
  });

  describe('bad input', () => {
    const ids = { rsa: newId(), ec: newId(), oct: newId() };
    beforeAll(async () => {
      await keys.generateKey(ids.rsa, { kty: 'RSA' });
      await keys.generateKey(ids.ec, { kty: 'EC' });
      await keys.generateKey(ids.oct, { kty: 'oct', size: 256 });
    });
    afterAll(() => expect(sessionObjects()).toHaveLength(0));

    it('wrong algorithm for the key type, curve or size is UnsupportedAlgorithm', async () => {
      const d32 = Buffer.alloc(32, 1);
      const d48 = Buffer.alloc(48, 1);
      const cases: Array<Promise<unknown>> = [
        keys.sign(ids.rsa, 'ES256', d32),
        keys.sign(ids.ec, 'RS256', d32),
        keys.sign(ids.ec, 'ES384', d48),
        keys.sign(ids.ec, 'ES256K', d32),
        keys.sign(ids.oct, 'PS256', d32),
        keys.sign(ids.rsa, 'HS256' as never, d32),
        keys.encrypt(ids.ec, 'RSA-OAEP', d32),
        keys.encrypt(ids.rsa, 'A256GCM', d32),
        keys.encrypt(ids.oct, 'A128GCM', d32),
        keys.decrypt(ids.oct, 'RSA1_5', { value: d32 }),
        keys.wrapKey(ids.rsa, 'A256KW', d32),
        keys.wrapKey(ids.oct, 'A192KW', d32),
        keys.wrapKey(ids.oct, 'dir' as never, d32),
        keys.unwrapKey(ids.ec, 'RSA-OAEP', d32),
      ];
      for (const c of cases) expect(await code(c)).toBe(HsmErrorCodes.UnsupportedAlgorithm);
    });

    it('a digest of the wrong length is InvalidDigest', async () => {
      expect(await code(keys.sign(ids.rsa, 'RS256', Buffer.alloc(31)))).toBe(HsmErrorCodes.InvalidDigest);
      expect(await code(keys.sign(ids.rsa, 'PS512', Buffer.alloc(32)))).toBe(HsmErrorCodes.InvalidDigest);
      expect(await code(keys.sign(ids.ec, 'ES256', Buffer.alloc(0)))).toBe(HsmErrorCodes.InvalidDigest);
      expect(await code(keys.sign(ids.ec, 'ES256', Buffer.alloc(64)))).toBe(HsmErrorCodes.InvalidDigest);
    });

    it('missing or malformed iv/tag, empty values and wrap sizes are InvalidInput', async () => {
      const { value, iv, tag } = await keys.encrypt(ids.oct, 'A256GCM', Buffer.from('x'));
      const cases: Array<Promise<unknown>> = [
        keys.decrypt(ids.oct, 'A256GCM', { value, tag }),
        keys.decrypt(ids.oct, 'A256GCM', { value, iv }),
        keys.decrypt(ids.oct, 'A256GCM', { value, iv: iv!.subarray(1), tag }),
        keys.decrypt(ids.oct, 'A256GCM', { value, iv, tag: tag!.subarray(4) }),
        keys.decrypt(ids.oct, 'A256GCM', { value: Buffer.alloc(0), iv, tag }),
        keys.encrypt(ids.oct, 'A256GCM', Buffer.alloc(0)),
        keys.decrypt(ids.rsa, 'RSA-OAEP', { value: Buffer.alloc(256), iv }),
        keys.encrypt(ids.rsa, 'RSA-OAEP', Buffer.alloc(8), Buffer.from('aad')),
        keys.wrapKey(ids.oct, 'A256KW', Buffer.alloc(8)),
        keys.wrapKey(ids.oct, 'A256KW', Buffer.alloc(17)),
        keys.generateKey(newId(), { kty: 'RSA', publicExponent: 4 }),
        keys.randomBytes(0),
        keys.randomBytes(1025),
      ];
      for (const c of cases) expect(await code(c)).toBe(HsmErrorCodes.InvalidInput);
      expect(await code(keys.generateKey(newId(), { kty: 'RSA', size: 1024 }))).toBe(HsmErrorCodes.UnsupportedAlgorithm);
      expect(await code(keys.generateKey(newId(), { kty: 'EC', crv: 'P-192' as never }))).toBe(HsmErrorCodes.UnsupportedAlgorithm);
    });

    it('corrupt key-wrap input is InvalidWrappedKey and leaves no unwrapped object behind', async () => {
      const wrapped = await keys.wrapKey(ids.oct, 'A256KW', randomBytes(32));
      const flipped = Buffer.from(wrapped);
      flipped[3] ^= 1;
      for (const bad of [flipped, wrapped.subarray(0, 16), wrapped.subarray(0, 39), Buffer.alloc(0)]) {
        expect(await code(keys.unwrapKey(ids.oct, 'A256KW', bad))).toBe(HsmErrorCodes.InvalidWrappedKey);
      }
      expect(sessionObjects()).toHaveLength(0);
    });

    it('an unknown hsmKeyId is KeyNotFound for every operation, and nothing is created', async () => {
      const id = newId();
      const d = Buffer.alloc(32);
      for (const c of [
        keys.sign(id, 'RS256', d), keys.encrypt(id, 'A256GCM', d), keys.decrypt(id, 'RSA-OAEP', { value: d }),
        keys.wrapKey(id, 'A256KW', d), keys.unwrapKey(id, 'A256KW', Buffer.alloc(40)), keys.exportKey(id), keys.publicKey(id),
        keys.rewrap(id, ids.oct, 'A256KW', Buffer.alloc(40)), keys.rewrap(ids.oct, id, 'A256KW', Buffer.alloc(40)),
      ]) {
        expect(await code(c)).toBe(HsmErrorCodes.KeyNotFound);
      }
      expect(objectsOf(id)).toHaveLength(0);
    });

    it('random bytes come from the HSM in the allowed range', async () => {
      expect(await keys.randomBytes(1)).toHaveLength(1);
      const a = await keys.randomBytes(1024);
      expect(a).toHaveLength(1024);
      expect(a.equals(await keys.randomBytes(1024))).toBe(false);
    });
  });

  // Last: it removes the backup key from the token.
  it('without the trusted backup key, export fails with BackupKeyMissing (and nothing else can wrap the key)', async () => {
    const id = newId();
    await keys.generateKey(id, { kty: 'EC' });
    await keys.exportKey(id); // caches the backup key's handle
    for (const backup of findAll(backupWrapKeySearchTemplate())) probe.pkcs11.C_DestroyObject(probeSession, backup);
    expect(await code(keys.exportKey(id))).toBe(HsmErrorCodes.BackupKeyMissing);
  });
});
