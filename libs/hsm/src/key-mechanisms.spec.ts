import { generateKeyPairSync } from 'node:crypto';
import { CURVE_INFO, curveOfParams } from './key-mechanisms';

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
