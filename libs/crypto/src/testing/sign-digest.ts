/**
 * Test-only signing over a digest, as the HSM's CKM_RSA_PKCS, CKM_RSA_PKCS_PSS and CKM_ECDSA do:
 * node:crypto cannot sign a pre-hashed digest (crypto.sign always hashes). RSA PKCS#1 v1.5 =
 * privateEncrypt(DigestInfo ‖ digest); RSA-PSS = EMSA-PSS encoding + a raw RSA private operation;
 * ECDSA = the textbook formula with k·G computed by node's ECDH. Not constant time: tests only.
 */
import { constants, createECDH, KeyObject, privateEncrypt, randomBytes } from 'node:crypto';
import { Curve, DigestName } from '@coffer/contracts';
import { digestInfo } from '../digest-info';
import { bigintOf, CURVE_PARAMS, digestInteger, inverse } from '../ec-curves';
import { emsaPssEncode } from '../emsa-pss';

export function rsaPkcs1SignDigest(privateKey: KeyObject, hash: DigestName, digest: Buffer): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest));
}

/** RSASSA-PSS with salt length = digest length, MGF1 on the same hash. */
export function rsaPssSignDigest(privateKey: KeyObject, hash: DigestName, digest: Buffer): Buffer {
  const modBits = privateKey.asymmetricKeyDetails!.modulusLength!;
  const k = Math.ceil(modBits / 8);
  const em = emsaPssEncode(hash, digest, modBits - 1, randomBytes(digest.length));
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(k - em.length), em]));
}

const toBytes = (n: bigint, size: number) => Buffer.from(n.toString(16).padStart(size * 2, '0'), 'hex');

/** ECDSA r‖s (IEEE P1363) of `digest` with an EC private key on one of Coffer's curves. */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  const crv = (jwk.crv === 'secp256k1' ? 'P-256K' : jwk.crv) as Curve;
  const curve = CURVE_PARAMS[crv];
  const size = curve.scalarBytes;
  const d = bigintOf(Buffer.from(jwk.d as string, 'base64url'));
  const { n } = curve;
  const e = digestInteger(digest, n);
  for (;;) {
    const k = (bigintOf(randomBytes(size + 8)) % (n - 1n)) + 1n;
    const ecdh = createECDH(curve.nodeName);
    ecdh.setPrivateKey(toBytes(k, size));
    const point = ecdh.getPublicKey(); // 04 ‖ x ‖ y = k·G
    const r = bigintOf(point.subarray(1, 1 + size)) % n;
    if (r === 0n) continue;
    const s = (inverse(k, n) * ((e + r * d) % n)) % n;
    if (s === 0n) continue;
    return Buffer.concat([toBytes(r, size), toBytes(s, size)]);
  }
}
