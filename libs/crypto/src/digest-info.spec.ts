import { constants, createHash, generateKeyPairSync, privateEncrypt, sign } from 'node:crypto';
import { digestInfo } from './digest-info';

describe('digestInfo', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it.each(['sha256', 'sha384', 'sha512'] as const)('raw PKCS#1 over DigestInfo(%s) is exactly node:crypto\'s RSASSA-PKCS1-v1_5 signature', (hash) => {
    const data = Buffer.from('message');
    const viaDigestInfo = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, createHash(hash).update(data).digest()));
    expect(viaDigestInfo.equals(sign(hash, data, privateKey))).toBe(true);
  });
});
