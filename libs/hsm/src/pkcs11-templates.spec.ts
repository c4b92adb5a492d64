import * as pkcs11js from 'pkcs11js';
import { generatedDataKeyTemplate, kekTemplate, plausibleWrappedLength, sessionDataKeyTemplate } from './pkcs11-templates';

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
