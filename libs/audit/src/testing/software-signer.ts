import { generateKeyPairSync, JsonWebKey, randomBytes } from 'node:crypto';
import { AUDIT_SIGNING_KEY_ID } from '@coffer/contracts';

// P-256 domain parameters.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
];

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}
type Pt = [bigint, bigint] | null;
function add(p: Pt, q: Pt): Pt {
  if (!p) return q;
  if (!q) return p;
  if (p[0] === q[0] && mod(p[1] + q[1], P) === 0n) return null;
  const l = p[0] === q[0] && p[1] === q[1]
    ? mod((3n * p[0] * p[0] + A) * inv(2n * p[1], P), P)
    : mod((q[1] - p[1]) * inv(q[0] - p[0], P), P);
  const x = mod(l * l - p[0] - q[0], P);
  return [x, mod(l * (p[0] - x) - p[1], P)];
}
function mul(k: bigint, p: Pt): Pt {
  let r: Pt = null;
  for (let q = p; k > 0n; k >>= 1n, q = add(q, q)) if (k & 1n) r = add(r, q);
  return r;
}
const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const to32 = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');

/**
 * A software stand-in for the HSM audit key in tests: ECDSA P-256 over a given SHA-256 digest
 * (what CKM_ECDSA does; node:crypto can only sign messages it hashes itself), r‖s output.
 */
export class SoftwareSigner {
  readonly jwk: JsonWebKey;
  private readonly d: bigint;

  constructor(readonly keyId = AUDIT_SIGNING_KEY_ID) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.d = toBig(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: keyId };
  }

  async sign(digest: Buffer): Promise<Buffer> {
    const z = toBig(digest);
    for (;;) {
      const k = mod(toBig(randomBytes(40)), N - 1n) + 1n;
      const r = mod(mul(k, G)![0], N);
      const s = mod(inv(k, N) * (z + r * this.d), N);
      if (r !== 0n && s !== 0n) return Buffer.concat([to32(r), to32(s)]);
    }
  }

  async publicJwk(): Promise<JsonWebKey> {
    return this.jwk;
  }
}
