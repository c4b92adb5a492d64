import * as pkcs11js from 'pkcs11js';
import {
  P256_EC_PARAMS, generatedDataKeyTemplate, kekTemplate, plausibleWrappedLength, sessionDataKeyTemplate, signingPrivateKeyTemplate,
  signingPublicKeyTemplate,
} from './pkcs11-templates';

const attrs = (t: pkcs11js.Template) => new Map(t.map((a) => [a.type, a.value]));

describe('KEK template', () => {
  const kek = attrs(kekTemplate('vault-1'));

  it('is a persistent, private, sensitive, non-extractable AES-256 key', () => {
    expect(kek.get(pkcs11js.CKA_TOKEN)).toBe(true);
    expect(kek.get(pkcs11js.CKA_PRIVATE)).toBe(true);
    expect(kek.get(pkcs11js.CKA_SENSITIVE)).toBe(true);
    expect(kek.get(pkcs11js.CKA_EXTRACTABLE)).toBe(false);
    expect(kek.get(pkcs11js.CKA_KEY_TYPE)).toBe(pkcs11js.CKK_AES);
    expect(kek.get(pkcs11js.CKA_VALUE_LEN)).toBe(32);
  });

  it('can wrap and unwrap but not encrypt or decrypt', () => {
    expect(kek.get(pkcs11js.CKA_WRAP)).toBe(true);
    expect(kek.get(pkcs11js.CKA_UNWRAP)).toBe(true);
    expect(kek.get(pkcs11js.CKA_ENCRYPT)).toBe(false);
    expect(kek.get(pkcs11js.CKA_DECRYPT)).toBe(false);
  });

  it('is labelled coffer-kek:<id> with the id as CKA_ID', () => {
    expect(kek.get(pkcs11js.CKA_LABEL)).toBe('coffer-kek:vault-1');
    expect(kek.get(pkcs11js.CKA_ID)).toEqual(Buffer.from('vault-1'));
  });
});

describe('data key templates', () => {
  it.each([['generated', generatedDataKeyTemplate()], ['unwrapped', sessionDataKeyTemplate()]])(
    'a %s data key is a readable session object',
    (_, template) => {
      const t = attrs(template);
      expect(t.get(pkcs11js.CKA_TOKEN)).toBe(false);
      expect(t.get(pkcs11js.CKA_SENSITIVE)).toBe(false);
      expect(t.get(pkcs11js.CKA_EXTRACTABLE)).toBe(true);
      expect(t.get(pkcs11js.CKA_CLASS)).toBe(pkcs11js.CKO_SECRET_KEY);
    },
  );
});

describe('plausibleWrappedLength', () => {
  it.each([[40, true], [16, true], [1024, true], [0, false], [8, false], [39, false], [1032, false]])(
    '%i bytes -> %s',
    (n, ok) => expect(plausibleWrappedLength(n)).toBe(ok),
  );
});

describe('signing key templates', () => {
  const pairId = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const priv = attrs(signingPrivateKeyTemplate('token-signing', pairId));
  const pub = attrs(signingPublicKeyTemplate('token-signing', pairId));

  it('the private half is a persistent, private, sensitive, non-extractable EC key that can only sign', () => {
    expect(priv.get(pkcs11js.CKA_CLASS)).toBe(pkcs11js.CKO_PRIVATE_KEY);
    expect(priv.get(pkcs11js.CKA_KEY_TYPE)).toBe(pkcs11js.CKK_EC);
    expect(priv.get(pkcs11js.CKA_TOKEN)).toBe(true);
    expect(priv.get(pkcs11js.CKA_PRIVATE)).toBe(true);
    expect(priv.get(pkcs11js.CKA_SENSITIVE)).toBe(true);
    expect(priv.get(pkcs11js.CKA_EXTRACTABLE)).toBe(false);
    expect(priv.get(pkcs11js.CKA_SIGN)).toBe(true);
    expect(priv.get(pkcs11js.CKA_DECRYPT)).toBe(false);
    expect(priv.get(pkcs11js.CKA_UNWRAP)).toBe(false);
    expect(priv.get(pkcs11js.CKA_DERIVE)).toBe(false);
  });

  it('the public half is a persistent P-256 key that can only verify', () => {
    expect(pub.get(pkcs11js.CKA_CLASS)).toBe(pkcs11js.CKO_PUBLIC_KEY);
    expect(pub.get(pkcs11js.CKA_TOKEN)).toBe(true);
    expect(pub.get(pkcs11js.CKA_VERIFY)).toBe(true);
    expect(pub.get(pkcs11js.CKA_ENCRYPT)).toBe(false);
    expect(pub.get(pkcs11js.CKA_WRAP)).toBe(false);
    expect(pub.get(pkcs11js.CKA_EC_PARAMS)).toEqual(P256_EC_PARAMS);
    expect(P256_EC_PARAMS.toString('hex')).toBe('06082a8648ce3d030107');
  });

  it('both halves carry the label coffer-sign:<id> and the same CKA_ID', () => {
    expect(priv.get(pkcs11js.CKA_LABEL)).toBe('coffer-sign:token-signing');
    expect(pub.get(pkcs11js.CKA_LABEL)).toBe('coffer-sign:token-signing');
    expect(priv.get(pkcs11js.CKA_ID)).toEqual(pairId);
    expect(pub.get(pkcs11js.CKA_ID)).toEqual(pairId);
  });
});
