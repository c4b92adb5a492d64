import { constants, KeyObject, publicEncrypt } from 'node:crypto';
import { OaepHash } from './eme-oaep';

/**
 * RSA encryption padding: JWA RSA-OAEP / RSA-OAEP-256 (MGF1 on the same hash, no label; SHA-1 when
 * no hash is named, as in node:crypto) or RSA1_5.
 */
export interface RsaPadding {
  padding: 'oaep' | 'pkcs1';
  hash?: OaepHash;
}

/** RSAES-OAEP or RSAES-PKCS1-v1_5 encryption under the public key (OpenSSL throws if the plaintext is too long). */
export function rsaesEncrypt(key: KeyObject, spec: RsaPadding, plaintext: Buffer): Buffer {
  return spec.padding === 'oaep'
    ? publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.hash }, plaintext)
    : publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plaintext);
}
