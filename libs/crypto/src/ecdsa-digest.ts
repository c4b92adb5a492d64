import { Curve } from '@coffer/contracts';
import { bigintOf, CURVE_PARAMS, CurveParams, digestInteger, inverse, mod } from './ec-curves';

/**
 * ECDSA verification over a caller-supplied digest (FIPS 186-4 §6.4.2). node:crypto has no
 * pre-hashed verify (crypto.verify(null, …) hashes with SHA-256 on EC keys), so Coffer verifies
 * in BigInt arithmetic on the public key: verification handles no secrets, so constant time is
 * not needed. Jacobian coordinates avoid an inversion per step.
 */

type Jacobian = [bigint, bigint, bigint];
const INFINITY: Jacobian = [0n, 1n, 0n];

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

/** Whether (x, y) is a point of the curve (the point at infinity has no affine form, so it is not). */
export function onCurve(x: bigint, y: bigint, c: CurveParams): boolean {
  return x < c.p && y < c.p && mod(y * y - (x * x * x + c.a * x + c.b), c.p) === 0n;
}

/**
 * Whether `signature` (r‖s, each CURVE_PARAMS[crv].scalarBytes bytes) is an ECDSA signature of
 * `digest` by the public point (x, y). Malformed input is simply not a valid signature.
 */
export function ecdsaVerifyDigest(crv: Curve, x: Uint8Array, y: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const c = CURVE_PARAMS[crv];
  const len = c.scalarBytes;
  if (signature.length !== 2 * len) return false;
  const r = bigintOf(signature.subarray(0, len));
  const s = bigintOf(signature.subarray(len));
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const qx = bigintOf(x);
  const qy = bigintOf(y);
  if (!onCurve(qx, qy, c)) return false;
  const w = inverse(s, c.n);
  const [X, , Z] = twoScalarMultiply(mod(digestInteger(digest, c.n) * w, c.n), [c.gx, c.gy, 1n], mod(r * w, c.n), [qx, qy, 1n], c);
  if (Z === 0n) return false;
  const affineX = mod(X * inverse(mod(Z * Z, c.p), c.p), c.p);
  return mod(affineX, c.n) === r;
}
