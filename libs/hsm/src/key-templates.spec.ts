import * as pkcs11js from 'pkcs11js';
import { aesKeyTemplate, derOctetString, ecPrivateTemplate, ecPublicTemplate, importTemplate, keyLabel, rsaPrivateTemplate } from './key-templates';

const valueOf = (template: pkcs11js.Template, type: number) => template.find((a) => a.type === type)?.value;

describe('key object templates', () => {
  const id = Buffer.alloc(16, 1);
  it.each([
    ['RSA private', rsaPrivateTemplate('v/k/1', id)],
    ['EC private', ecPrivateTemplate('v/k/1', id)],
    ['AES', aesKeyTemplate('v/k/1', id)],
    ['imported oct', importTemplate('v/k/1', id, { kty: 'oct', k: Buffer.alloc(32) })],
  ])('%s: a private, sensitive token object only a trusted key can wrap', (_, template) => {
    expect(valueOf(template, pkcs11js.CKA_TOKEN)).toBe(true);
    expect(valueOf(template, pkcs11js.CKA_PRIVATE)).toBe(true);
    expect(valueOf(template, pkcs11js.CKA_SENSITIVE)).toBe(true);
    expect(valueOf(template, pkcs11js.CKA_WRAP_WITH_TRUSTED)).toBe(true);
    expect(valueOf(template, pkcs11js.CKA_DERIVE)).toBe(false);
    expect(valueOf(template, pkcs11js.CKA_LABEL)).toBe(keyLabel('v/k/1'));
    expect(valueOf(template, pkcs11js.CKA_ID)).toBe(id);
  });

  it('the EC public half is a public token object that only verifies', () => {
    const template = ecPublicTemplate('v/k/1', id, 'P-521', Buffer.alloc(133, 4));
    expect(valueOf(template, pkcs11js.CKA_PRIVATE)).toBe(false);
    expect(valueOf(template, pkcs11js.CKA_VERIFY)).toBe(true);
    expect(valueOf(template, pkcs11js.CKA_WRAP)).toBe(false);
    expect((valueOf(template, pkcs11js.CKA_EC_POINT) as Buffer).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 133]));
  });

  it('wraps EC points as DER OCTET STRINGs', () => {
    expect(derOctetString(Buffer.alloc(65, 4)).subarray(0, 2)).toEqual(Buffer.from([0x04, 65]));
    expect(derOctetString(Buffer.alloc(133, 4)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 133]));
  });
});
