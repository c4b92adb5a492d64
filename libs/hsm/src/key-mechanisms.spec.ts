import { constants, createHash, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { CURVE_INFO, curveOfParams, digestInfo } from './key-mechanisms';

describe('digestInfo', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it.each(['sha256', 'sha384', 'sha512'] as const)('raw PKCS#1 over DigestInfo(%s) is exactly node:crypto\'s RSASSA-PKCS1-v1_5 signature', (hash) => {
    const data = Buffer.from('message');
    const viaDigestInfo = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, createHash(hash).update(data).digest()));
    expect(viaDigestInfo.equals(sign(hash, data, privateKey))).toBe(true);
  });
});

describe('curves', () => {
  it('maps CKA_EC_PARAMS back to the curve, and nothing else', () => {
    for (const crv of Object.keys(CURVE_INFO) as Array<keyof typeof CURVE_INFO>) expect(curveOfParams(CURVE_INFO[crv].params)).toBe(crv);
    expect(curveOfParams(Buffer.from('06032b6570', 'hex'))).toBeUndefined();
  });

  it('names the curve OIDs node:crypto uses for the same curves', () => {
    for (const [crv, info] of Object.entries(CURVE_INFO)) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: info.nodeCrv });
      // SPKI: SEQUENCE { SEQUENCE { ecPublicKey OID, curve OID }, BIT STRING }
      const spki = publicKey.export({ format: 'der', type: 'spki' });
      expect([crv, spki.includes(info.params)]).toEqual([crv, true]);
    }
  });
});
