import { createThrowawayToken, setHostEnv, ThrowawayToken } from '@coffer/testing';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { HsmError, HsmErrorCodes } from './hsm.errors';
import { KeyGenerationSpec } from './hsm-keys.port';
import { backupWrapKeySearchTemplate, keyObjectsTemplate } from './key-templates';
import { acquirePkcs11Library, Pkcs11Library } from './pkcs11-library';
import { Pkcs11Hsm } from './pkcs11-hsm';

/**
 * What protects a certificate's exportable key compared with every other private half, measured on
 * SoftHSM 2.6.1 (the README's "How key material is protected" states these facts).
 */
describe('exportable certificate keys vs CKA_WRAP_WITH_TRUSTED (SoftHSM)', () => {
  let token: ThrowawayToken;
  let restoreEnv: (() => void) | undefined;
  let hsm: Pkcs11Hsm;
  let probe: Pkcs11Library;
  let session: pkcs11js.Handle;
  /** An ordinary session AES key, as any holder of a user session could make one. */
  let ordinary: pkcs11js.Handle;
  let trusted: pkcs11js.Handle;
  let seq = 0;
  const newId = () => `vault-perm/cert-${++seq}/${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    token = createThrowawayToken('coffer-export-int');
    restoreEnv = setHostEnv('SOFTHSM2_CONF', token.conf);
    hsm = await Pkcs11Hsm.open({ module: token.module, token: token.label, pin: token.pin, sessions: 2, asyncSessions: 2 });
    probe = acquirePkcs11Library(token.module);
    const p = probe.pkcs11;
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === token.label)!;
    session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    ordinary = p.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_WRAP, value: true }, { type: pkcs11js.CKA_UNWRAP, value: true },
    ]);
    [trusted] = findAll(backupWrapKeySearchTemplate());
  });
  afterAll(async () => {
    if (session) probe.pkcs11.C_CloseSession(session);
    await hsm?.close();
    probe?.release();
    token?.remove();
    restoreEnv?.();
  });

  function findAll(template: pkcs11js.Template): pkcs11js.Handle[] {
    probe.pkcs11.C_FindObjectsInit(session, template);
    try {
      return probe.pkcs11.C_FindObjects(session, 100);
    } finally {
      probe.pkcs11.C_FindObjectsFinal(session);
    }
  }
  const privateHalf = (hsmKeyId: string) =>
    findAll([...keyObjectsTemplate(hsmKeyId), { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])[0];
  const attributes = (key: pkcs11js.Handle) => {
    const flag = (type: number) => (probe.pkcs11.C_GetAttributeValue(session, key, [{ type }])[0].value as Buffer)[0] === 1;
    return {
      sensitive: flag(pkcs11js.CKA_SENSITIVE), alwaysSensitive: flag(pkcs11js.CKA_ALWAYS_SENSITIVE), extractable: flag(pkcs11js.CKA_EXTRACTABLE),
      wrapWithTrusted: flag(pkcs11js.CKA_WRAP_WITH_TRUSTED), private: flag(pkcs11js.CKA_PRIVATE), token: flag(pkcs11js.CKA_TOKEN),
    };
  };
  const wrapWith = (wrappingKey: pkcs11js.Handle, key: pkcs11js.Handle) =>
    probe.pkcs11.C_WrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, wrappingKey, key, Buffer.alloc(8192));
  const code = (promise: Promise<unknown>) => promise.then(() => 'resolved', (err) => (err instanceof HsmError ? err.code : String(err)));

  const specs: Array<[string, KeyGenerationSpec]> = [['RSA', { kty: 'RSA', size: 2048 }], ['EC', { kty: 'EC', crv: 'P-256' }]];

  it.each(specs)('a non-exportable %s key: CKA_WRAP_WITH_TRUSTED, an ordinary key cannot wrap it, export is KeyNotExportable', async (_, spec) => {
    const id = newId();
    await hsm.keys.generateKey(id, spec);
    const key = privateHalf(id);
    expect(attributes(key)).toEqual({ sensitive: true, alwaysSensitive: true, extractable: true, wrapWithTrusted: true, private: true, token: true });
    expect(() => wrapWith(ordinary, key)).toThrow(/CKR_KEY_NOT_WRAPPABLE/);
    expect(wrapWith(trusted, key).length).toBeGreaterThan(16);
    expect(await code(hsm.keys.exportPrivateKey(id))).toBe(HsmErrorCodes.KeyNotExportable);
  });

  it.each(specs)('an exportable %s key: sensitive, but without CKA_WRAP_WITH_TRUSTED, so any session key can wrap it (how export works)', async (_, spec) => {
    const id = newId();
    const publicKey = await hsm.keys.generateKey(id, { ...spec, exportable: true });
    const key = privateHalf(id);
    expect(attributes(key)).toEqual({ sensitive: true, alwaysSensitive: true, extractable: true, wrapWithTrusted: false, private: true, token: true });
    expect(() => probe.pkcs11.C_GetAttributeValue(session, key, [{ type: spec.kty === 'RSA' ? pkcs11js.CKA_PRIVATE_EXPONENT : pkcs11js.CKA_VALUE }]))
      .toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
    expect(wrapWith(ordinary, key).length).toBeGreaterThan(16);
    const pkcs8 = await hsm.keys.exportPrivateKey(id);
    const exportedPublic = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
    expect(exportedPublic).toMatchObject(spec.kty === 'RSA' ? { n: (publicKey as { n: string }).n } : { x: (publicKey as { x: string }).x });
  });

  it('an imported exportable key is the same (its PKCS#8 came from the caller; reuse_key may export it again)', async () => {
    const id = newId();
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    await hsm.keys.importKey(id, jwk as Record<string, string>, { exportable: true });
    expect(attributes(privateHalf(id))).toMatchObject({ sensitive: true, alwaysSensitive: false, wrapWithTrusted: false });
    expect(wrapWith(ordinary, privateHalf(id)).length).toBeGreaterThan(16);
  });

  it('CKA_WRAP_WITH_TRUSTED is fixed at creation: neither C_SetAttributeValue nor C_CopyObject can set it after the export', async () => {
    const id = newId();
    await hsm.keys.generateKey(id, { kty: 'EC', crv: 'P-256', exportable: true });
    const key = privateHalf(id);
    const wwt = [{ type: pkcs11js.CKA_WRAP_WITH_TRUSTED, value: true }];
    expect(() => probe.pkcs11.C_SetAttributeValue(session, key, wwt)).toThrow(/CKR_ATTRIBUTE_READ_ONLY/);
    expect(() => probe.pkcs11.C_CopyObject(session, key, wwt)).toThrow(/CKR_ATTRIBUTE_READ_ONLY/);
    expect(attributes(key).wrapWithTrusted).toBe(false);
  });

  it('the limit of CKA_WRAP_WITH_TRUSTED: a user session can unwrap a trusted-key wrap into a readable object (the PIN is the boundary)', async () => {
    const id = newId();
    await hsm.keys.generateKey(id, { kty: 'RSA', size: 2048 });
    const wrapped = wrapWith(trusted, privateHalf(id));
    const unwrapped = probe.pkcs11.C_UnwrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, trusted, wrapped, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_SENSITIVE, value: false }, { type: pkcs11js.CKA_EXTRACTABLE, value: true },
    ]);
    try {
      const [d] = probe.pkcs11.C_GetAttributeValue(session, unwrapped, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }]);
      // The private exponent of a 2048-bit key, in the clear (big-endian, leading zero bytes dropped: 1 key in 256 has 255).
      expect((d.value as Buffer).length).toBeGreaterThanOrEqual(250);
      expect((d.value as Buffer).length).toBeLessThanOrEqual(256);
    } finally {
      probe.pkcs11.C_DestroyObject(session, unwrapped);
    }
  });
});
