import { DigestName } from '@coffer/contracts';

/** DER DigestInfo header per hash (RFC 8017 §9.2 note 1): PKCS#1 v1.5 signs header ‖ digest. */
export const DIGEST_INFO_PREFIX: Readonly<Record<DigestName, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

/** The DigestInfo (EMSA-PKCS1-v1_5's T) of a digest made with `hash`: what CKM_RSA_PKCS signs. */
export function digestInfo(hash: DigestName, digest: Buffer): Buffer {
  return Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
}
