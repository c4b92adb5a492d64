import { CURVES, Curve, OCT_KEY_SIZES, PublicKeyMaterial, RSA_KEY_SIZES } from '@coffer/contracts';
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { HsmError, HsmErrorCodes } from './hsm.errors';
import { CURVE_INFO } from './key-mechanisms';

/**
 * JWK ↔ the byte strings PKCS#11 attributes hold. node:crypto does the validation (a JWK it will
 * not import is refused); nothing here puts a member's value in an error message.
 */

/** A private JWK taken apart into the attribute values of the key objects that will hold it. */
export type PrivateKeyParts =
  | { kty: 'RSA'; bits: number; n: Buffer; e: Buffer; d: Buffer; p: Buffer; q: Buffer; dp: Buffer; dq: Buffer; qi: Buffer }
  | { kty: 'EC'; crv: Curve; d: Buffer; x: Buffer; y: Buffer }
  | { kty: 'oct'; k: Buffer };

const B64URL = /^[A-Za-z0-9_-]*$/;
const RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Validates a private JWK (Azure's key types, -HSM suffix allowed) and decodes its members. */
export function parsePrivateJwk(jwk: Readonly<Record<string, unknown>>): PrivateKeyParts {
  const kty = typeof jwk.kty === 'string' ? jwk.kty.replace(/-HSM$/, '') : undefined;
  switch (kty) {
    case 'RSA': {
      const m = members(jwk, RSA_MEMBERS);
      // Node refuses an RSA private JWK without every CRT member.
      importOrFail(() => createPrivateKey({ key: { kty: 'RSA', ...m }, format: 'jwk' }), 'RSA');
      const n = stripZeros(decode(m.n));
      const bits = n.length * 8 - Math.clz32(n[0]) + 24;
      if (!(RSA_KEY_SIZES as readonly number[]).includes(bits)) throw invalid(`an RSA key must be ${RSA_KEY_SIZES.join(', ')} bits (got ${bits})`);
      return {
        kty: 'RSA', bits, n, e: stripZeros(decode(m.e)), d: decode(m.d), p: decode(m.p), q: decode(m.q),
        dp: decode(m.dp), dq: decode(m.dq), qi: decode(m.qi),
      };
    }
    case 'EC': {
      const crv = jwk.crv;
      if (typeof crv !== 'string' || !(CURVES as readonly string[]).includes(crv)) throw invalid(`crv must be one of ${CURVES.join(', ')}`);
      const info = CURVE_INFO[crv as Curve];
      const m = members(jwk, ['x', 'y', 'd'] as const);
      // Node checks that the point is on the curve.
      importOrFail(() => createPrivateKey({ key: { kty: 'EC', crv: info.nodeCrv, ...m }, format: 'jwk' }), 'EC');
      const [x, y, d] = [decode(m.x), decode(m.y), decode(m.d)];
      if (x.length !== info.fieldBytes || y.length !== info.fieldBytes || d.length !== info.fieldBytes) {
        throw invalid(`x, y and d of a ${crv} key must be ${info.fieldBytes} bytes each`);
      }
      return { kty: 'EC', crv: crv as Curve, d, x, y };
    }
    case 'oct': {
      const k = decode(members(jwk, ['k'] as const).k);
      if (!(OCT_KEY_SIZES as readonly number[]).includes(k.length * 8)) {
        k.fill(0);
        throw invalid(`an oct key must be ${OCT_KEY_SIZES.join(', ')} bits`);
      }
      return { kty: 'oct', k };
    }
    default:
      throw invalid('kty must be RSA, EC or oct');
  }
}

/** Zeroes every private byte string of parsed parts. */
export function wipeParts(parts: PrivateKeyParts): void {
  if (parts.kty === 'RSA') [parts.d, parts.p, parts.q, parts.dp, parts.dq, parts.qi].forEach((b) => b.fill(0));
  else if (parts.kty === 'EC') parts.d.fill(0);
  else parts.k.fill(0);
}

export function publicOfParts(parts: PrivateKeyParts): PublicKeyMaterial {
  if (parts.kty === 'RSA') return rsaPublicMaterial(parts.n, parts.e);
  if (parts.kty === 'EC') return ecPublicMaterial(parts.crv, Buffer.concat([Buffer.from([4]), parts.x, parts.y]));
  return { kty: 'oct' };
}

export function rsaPublicMaterial(modulus: Buffer, exponent: Buffer): PublicKeyMaterial {
  return { kty: 'RSA', n: stripZeros(modulus).toString('base64url'), e: stripZeros(exponent).toString('base64url') };
}

/** From an uncompressed point 0x04‖X‖Y. */
export function ecPublicMaterial(crv: Curve, point: Buffer): PublicKeyMaterial {
  const size = CURVE_INFO[crv].fieldBytes;
  return {
    kty: 'EC', crv,
    x: point.subarray(1, 1 + size).toString('base64url'),
    y: point.subarray(1 + size, 1 + 2 * size).toString('base64url'),
  };
}

/** The uncompressed point of EC public material (for CKA_EC_POINT, DER-wrapped by the caller). */
export function ecPointOf(material: Extract<PublicKeyMaterial, { kty: 'EC' }>): Buffer {
  return Buffer.concat([Buffer.from([4]), Buffer.from(material.x, 'base64url'), Buffer.from(material.y, 'base64url')]);
}

/** A node:crypto public key for software encrypt and verify. */
export function publicKeyObject(material: PublicKeyMaterial): KeyObject {
  if (material.kty === 'oct') throw new HsmError(HsmErrorCodes.UnsupportedAlgorithm, 'an oct key has no public half');
  if (material.kty === 'EC' && !(CURVES as readonly string[]).includes(material.crv)) throw invalid(`crv must be one of ${CURVES.join(', ')}`);
  if (material.kty !== 'EC' && material.kty !== 'RSA') throw invalid('kty must be RSA, EC or oct');
  const key = material.kty === 'EC' ? { ...material, crv: CURVE_INFO[material.crv].nodeCrv } : { ...material };
  return importOrFail(() => createPublicKey({ key, format: 'jwk' }), material.kty);
}

export function samePublicKey(a: PublicKeyMaterial, b: PublicKeyMaterial): boolean {
  if (a.kty === 'RSA' && b.kty === 'RSA') return a.n === b.n && a.e === b.e;
  if (a.kty === 'EC' && b.kty === 'EC') return a.crv === b.crv && a.x === b.x && a.y === b.y;
  return a.kty === 'oct' && b.kty === 'oct';
}

/** Big-endian minimal encoding of a non-negative integer (a public exponent for CKA_PUBLIC_EXPONENT). */
export function integerBytes(value: number): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

export function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function members<K extends string>(jwk: Readonly<Record<string, unknown>>, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = jwk[name];
    if (typeof value !== 'string' || value.length === 0) throw invalid(`the JWK has no '${name}' member`);
    if (!B64URL.test(value)) throw invalid(`the JWK member '${name}' is not base64url`);
    out[name] = value;
  }
  return out;
}

function decode(value: string): Buffer {
  return Buffer.from(value, 'base64url');
}

function importOrFail<T>(fn: () => T, kty: string): T {
  try {
    return fn();
  } catch (err) {
    // node:crypto's message says what is wrong in general terms; it never quotes the key.
    throw new HsmError(HsmErrorCodes.InvalidInput, `the ${kty} JWK is not a valid key`, { cause: err });
  }
}

function invalid(message: string): HsmError {
  return new HsmError(HsmErrorCodes.InvalidInput, message);
}
