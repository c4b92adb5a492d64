import { Curve } from '@coffer/contracts';

/**
 * ECDSA verification over a caller-supplied digest (FIPS 186-4 §6.4.2). node:crypto has no
 * pre-hashed verify (crypto.verify(null, …) hashes with SHA-256 on EC keys), so Coffer verifies
 * in BigInt arithmetic on the public key: verification handles no secrets, so constant time is
 * not needed. Jacobian coordinates avoid an inversion per step.
 */
interface CurveParams {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

const h = (hex: string) => BigInt(`0x${hex}`);
const CURVE_PARAMS: Record<Curve, CurveParams> = {
  'P-256': {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: h('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
  },
  'P-384': {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    n: h('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    gx: h('aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
    gy: h('3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    n: h('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    gx: h('00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66'),
    gy: h('011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650'),
  },
  'P-256K': {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'),
    a: 0n,
    n: h('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    gx: h('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'),
    gy: h('483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'),
  },
};

/** Bytes of r and of s in a JWS (r‖s) signature on each curve. */
export const ECDSA_SCALAR_BYTES: Record<Curve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, 'P-256K': 32 };

type Jacobian = [bigint, bigint, bigint];
const INFINITY: Jacobian = [0n, 1n, 0n];

const mod = (x: bigint, m: bigint) => {
  const r = x % m;
  return r < 0n ? r + m : r;
};

function inverse(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  return mod(v, m);
}

const bigintOf = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

function double([x, y, z]: Jacobian, c: CurveParams): Jacobian {
  const { p, a } = c;
  if (z === 0n || y === 0n) return INFINITY;
  const yy = mod(y * y, p);
  const s = mod(4n * x * yy, p);
  const z2 = mod(z * z, p);
  const m = mod(3n * x * x + a * z2 * z2, p);
  const x3 = mod(m * m - 2n * s, p);
  return [x3, mod(m * (s - x3) - 8n * yy * yy, p), mod(2n * y * z, p)];
}

function add(P: Jacobian, Q: Jacobian, c: CurveParams): Jacobian {
  const { p } = c;
  if (P[2] === 0n) return Q;
  if (Q[2] === 0n) return P;
  const [x1, y1, z1] = P;
  const [x2, y2, z2] = Q;
  const z1z1 = mod(z1 * z1, p);
  const z2z2 = mod(z2 * z2, p);
  const u1 = mod(x1 * z2z2, p);
  const u2 = mod(x2 * z1z1, p);
  const s1 = mod(y1 * z2 * z2z2, p);
  const s2 = mod(y2 * z1 * z1z1, p);
  if (u1 === u2) return s1 === s2 ? double(P, c) : INFINITY;
  const hh = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = mod(hh * hh, p);
  const h3 = mod(h2 * hh, p);
  const v = mod(u1 * h2, p);
  const x3 = mod(r * r - h3 - 2n * v, p);
  return [x3, mod(r * (v - x3) - s1 * h3, p), mod(hh * z1 * z2, p)];
}

/** u1·G + u2·Q in one pass (Shamir's trick). */
function twoScalarMultiply(u1: bigint, G: Jacobian, u2: bigint, Q: Jacobian, c: CurveParams): Jacobian {
  const GQ = add(G, Q, c);
  let R = INFINITY;
  const bits = Math.max(u1.toString(2).length, u2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    R = double(R, c);
    const b1 = (u1 >> BigInt(i)) & 1n;
    const b2 = (u2 >> BigInt(i)) & 1n;
    if (b1 && b2) R = add(R, GQ, c);
    else if (b1) R = add(R, G, c);
    else if (b2) R = add(R, Q, c);
  }
  return R;
}

function onCurve(x: bigint, y: bigint, c: CurveParams, b: bigint): boolean {
  return x < c.p && y < c.p && mod(y * y - (x * x * x + c.a * x + b), c.p) === 0n;
}

/**
 * Whether `signature` (r‖s, each ECDSA_SCALAR_BYTES[crv] bytes) is an ECDSA signature of `digest`
 * by the public point (x, y). Malformed input is simply not a valid signature.
 */
export function ecdsaVerifyDigest(crv: Curve, x: Uint8Array, y: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const c = CURVE_PARAMS[crv];
  const len = ECDSA_SCALAR_BYTES[crv];
  if (signature.length !== 2 * len) return false;
  const r = bigintOf(signature.subarray(0, len));
  const s = bigintOf(signature.subarray(len));
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const qx = bigintOf(x);
  const qy = bigintOf(y);
  // b from the generator: every valid point satisfies y² = x³ + ax + b.
  const b = mod(c.gy * c.gy - c.gx * c.gx * c.gx - c.a * c.gx, c.p);
  if (!onCurve(qx, qy, c, b)) return false;
  const nBits = c.n.toString(2).length;
  let e = bigintOf(digest);
  if (digest.length * 8 > nBits) e >>= BigInt(digest.length * 8 - nBits);
  const w = inverse(s, c.n);
  const [X, , Z] = twoScalarMultiply(mod(e * w, c.n), [c.gx, c.gy, 1n], mod(r * w, c.n), [qx, qy, 1n], c);
  if (Z === 0n) return false;
  const affineX = mod(X * inverse(mod(Z * Z, c.p), c.p), c.p);
  return mod(affineX, c.n) === r;
}
