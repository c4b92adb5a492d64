/**
 * Test-only stand-in for the crypto-worker's HSM: it signs a digest it did not hash, as CKM_ECDSA and
 * CKM_RSA_PKCS / CKM_RSA_PKCS_PSS do. node:crypto cannot sign a pre-hashed digest directly (crypto.sign
 * always hashes), so: RSA PKCS#1 v1.5 = privateEncrypt(DigestInfo ‖ digest); RSA-PSS = EMSA-PSS
 * encoding here + a raw RSA private operation; ECDSA = the textbook formula with k·G computed by
 * node's ECDH (so no curve arithmetic is hand-written). Signatures come out as an HSM returns them
 * (EC r‖s), and OpenSSL verifies everything the library makes from them.
 */
import { constants, createECDH, createHash, generateKeyPairSync, JsonWebKey, KeyObject, privateEncrypt, randomBytes } from 'node:crypto';
import type { X509SignatureAlgorithm, X509Signer } from '../signer';

const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};
const EC: Record<string, { ecdh: string; order: bigint; size: number }> = {
  'P-256': { ecdh: 'prime256v1', size: 32, order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n },
  'P-384': {
    ecdh: 'secp384r1',
    size: 48,
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  'P-521': {
    ecdh: 'secp521r1',
    size: 66,
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
};

export interface SoftKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey;
  /** PKCS#8 DER of the private key (for PFX/PEM/TLS tests). */
  pkcs8: Buffer;
}

export function softKey(spec: 'RSA-2048' | 'RSA-3072' | 'P-256' | 'P-384' | 'P-521'): SoftKey {
  const pair = spec.startsWith('RSA')
    ? generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) })
    : generateKeyPairSync('ec', { namedCurve: EC[spec].ecdh });
  const jwk = pair.publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: jwk,
    pkcs8: pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

const HASH_OF: Record<X509SignatureAlgorithm, string> = {
  ES256: 'sha256', ES384: 'sha384', ES512: 'sha512',
  RS256: 'sha256', RS384: 'sha384', RS512: 'sha512',
  PS256: 'sha256', PS384: 'sha384', PS512: 'sha512',
};

/** An X509Signer over a software key, signing digests the way the HSM does. */
export function softSigner(key: SoftKey, algorithm: X509SignatureAlgorithm, counter?: { calls: number }): X509Signer {
  const hash = HASH_OF[algorithm];
  return {
    algorithm,
    publicKey: key.publicJwk,
    async sign(digest: Buffer): Promise<Buffer> {
      if (counter) counter.calls++;
      if (algorithm.startsWith('ES')) return ecdsaSignDigest(key.privateKey, digest);
      if (algorithm.startsWith('RS')) {
        return privateEncrypt(
          { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest]),
        );
      }
      return rsaPssSignDigest(key.privateKey, digest, hash);
    },
  };
}

function toBig(b: Buffer): bigint {
  return b.length ? BigInt(`0x${b.toString('hex')}`) : 0n;
}
function toBytes(n: bigint, size: number): Buffer {
  return Buffer.from(n.toString(16).padStart(size * 2, '0'), 'hex');
}
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  const curve = EC[jwk.crv as string];
  const d = toBig(Buffer.from(jwk.d as string, 'base64url'));
  const n = curve.order;
  const nBits = n.toString(2).length;
  let e = toBig(digest);
  if (digest.length * 8 > nBits) e >>= BigInt(digest.length * 8 - nBits);
  for (;;) {
    const k = (toBig(randomBytes(curve.size + 8)) % (n - 1n)) + 1n;
    const ecdh = createECDH(curve.ecdh);
    ecdh.setPrivateKey(toBytes(k, curve.size));
    const point = ecdh.getPublicKey(); // 04 ‖ x ‖ y = k·G
    const r = toBig(point.subarray(1, 1 + curve.size)) % n;
    if (r === 0n) continue;
    const s = (modInverse(k, n) * ((e + r * d) % n)) % n;
    if (s === 0n) continue;
    return Buffer.concat([toBytes(r, curve.size), toBytes(s, curve.size)]);
  }
}

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; Buffer.concat(out).length < length; i++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    out.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS (RFC 8017 §9.1.1) with salt length = hash length, then the raw RSA private operation. */
function rsaPssSignDigest(privateKey: KeyObject, mHash: Buffer, hash: string): Buffer {
  const modBits = privateKey.asymmetricKeyDetails!.modulusLength!;
  const k = Math.ceil(modBits / 8);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(k - emLen), em]));
}
