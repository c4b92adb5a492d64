import { Curve } from '@coffer/contracts';

/** Short-Weierstrass domain parameters (SEC 2, FIPS 186-4 D.1.2) of the curves Coffer signs with. */
export interface CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  /** Bytes of a coordinate, of d, and of r and s in an IEEE P1363 (JWS r‖s) signature. */
  scalarBytes: number;
  /** OpenSSL's name of the curve (node:crypto createECDH, generateKeyPair). */
  nodeName: string;
}

const h = (hex: string) => BigInt(`0x${hex}`);
export const CURVE_PARAMS: Readonly<Record<Curve, CurveParams>> = {
  'P-256': {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: h('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    b: h('5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
    scalarBytes: 32,
    nodeName: 'prime256v1',
  },
  'P-384': {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    b: h('b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef'),
    n: h('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    gx: h('aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
    gy: h('3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
    scalarBytes: 48,
    nodeName: 'secp384r1',
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    b: h('0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00'),
    n: h('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    gx: h('00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66'),
    gy: h('011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650'),
    scalarBytes: 66,
    nodeName: 'secp521r1',
  },
  'P-256K': {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'),
    a: 0n,
    b: 7n,
    n: h('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    gx: h('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'),
    gy: h('483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'),
    scalarBytes: 32,
    nodeName: 'secp256k1',
  },
};

export const mod = (x: bigint, m: bigint): bigint => {
  const r = x % m;
  return r < 0n ? r + m : r;
};

/** x⁻¹ mod m (extended Euclid); m is prime here. */
export function inverse(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  return mod(v, m);
}

/** The unsigned big-endian integer in `bytes`. */
export const bigintOf = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

/** The leftmost bits of a digest as an integer no wider than n (FIPS 186-4 §6.4). */
export function digestInteger(digest: Uint8Array, n: bigint): bigint {
  const nBits = n.toString(2).length;
  const e = bigintOf(digest);
  return digest.length * 8 > nBits ? e >> BigInt(digest.length * 8 - nBits) : e;
}
