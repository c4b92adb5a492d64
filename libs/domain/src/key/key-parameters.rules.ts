import {
  badParameter, Curve, CURVES, DEFAULT_CURVE, DEFAULT_KEY_OPS, DEFAULT_OCT_KEY_SIZE, DEFAULT_RSA_KEY_SIZE, hsmKeyTypeOf, InnerErrorCodes,
  KEY_OPS, KeyFamily, keyFamilyOf, KeyOp, KeyType, OCT_KEY_SIZES, RequestedKeyType, RSA_KEY_SIZES,
} from '@coffer/contracts';
import { KeyVersionState } from './key.state';

/** What the HSM is asked to make, and the key_ops the new version gets. */
export interface KeySpec {
  family: KeyFamily;
  kty: KeyType;
  /** RSA modulus bits or oct bits. */
  size?: number;
  crv?: Curve;
  publicExponent?: number;
  keyOps: KeyOp[];
}

const invalid = (message: string) => badParameter(message, InnerErrorCodes.InvalidKeyParameters);

/** The operations a key family can perform at all (EC signs; oct encrypts and wraps; RSA does both). */
export const KEY_OPS_OF_FAMILY: Record<KeyFamily, readonly KeyOp[]> = {
  RSA: KEY_OPS,
  EC: ['sign', 'verify'],
  oct: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
};

export function assertKeyOpsFit(family: KeyFamily, keyOps: readonly KeyOp[]): void {
  const misfit = keyOps.filter((op) => !KEY_OPS_OF_FAMILY[family].includes(op));
  if (misfit.length > 0) {
    throw badParameter(`key_ops ${misfit.join(', ')} cannot be used with ${family} keys (allowed: ${KEY_OPS_OF_FAMILY[family].join(', ')}).`, InnerErrorCodes.InvalidKeyParameters);
  }
}

const DEFAULT_PUBLIC_EXPONENT = 65537;
/** PKCS#11 takes the exponent as bytes; odd, at least 3, and (as every HSM accepts) below 2^32. */
const validExponent = (e: number) => Number.isInteger(e) && e >= 3 && e % 2 === 1 && e < 2 ** 32;

export interface CreateKeyParameters {
  kty: RequestedKeyType;
  key_size?: number;
  public_exponent?: number;
  crv?: Curve;
  key_ops?: KeyOp[];
}

/** A create request → what to generate, with Azure's defaults (RSA 2048 / e 65537, P-256, AES-256). */
export function resolveCreateSpec(p: CreateKeyParameters): KeySpec {
  const family = keyFamilyOf(p.kty);
  const keyOps = p.key_ops ?? [...DEFAULT_KEY_OPS[family]];
  assertKeyOpsFit(family, keyOps);
  const kty = hsmKeyTypeOf(family);
  if (family !== 'EC' && p.crv !== undefined) throw invalid(`crv applies to EC keys only.`);
  if (family !== 'RSA' && p.public_exponent !== undefined) throw invalid(`public_exponent applies to RSA keys only.`);
  switch (family) {
    case 'RSA': {
      const size = p.key_size ?? DEFAULT_RSA_KEY_SIZE;
      if (!(RSA_KEY_SIZES as readonly number[]).includes(size)) throw invalid(`RSA key_size must be one of ${RSA_KEY_SIZES.join(', ')}.`);
      const publicExponent = p.public_exponent ?? DEFAULT_PUBLIC_EXPONENT;
      if (!validExponent(publicExponent)) throw invalid('public_exponent must be an odd integer from 3 to 2^32 - 1.');
      return { family, kty, size, publicExponent, keyOps };
    }
    case 'EC':
      if (p.key_size !== undefined) throw invalid('key_size does not apply to EC keys: name the curve with crv.');
      return { family, kty, crv: p.crv ?? DEFAULT_CURVE, keyOps };
    case 'oct': {
      const size = p.key_size ?? DEFAULT_OCT_KEY_SIZE;
      if (!(OCT_KEY_SIZES as readonly number[]).includes(size)) throw invalid(`oct key_size must be one of ${OCT_KEY_SIZES.join(', ')}.`);
      return { family, kty, size, keyOps };
    }
  }
}

/** Bytes of an EC coordinate / private scalar on each curve. */
export const CURVE_BYTES: Record<Curve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, 'P-256K': 32 };

const MEMBERS: Record<KeyFamily, readonly string[]> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y', 'd'],
  oct: ['k'],
};
const ALL_MEMBERS = [...new Set(Object.values(MEMBERS).flat())];

const bytesOf = (b64u: string) => Buffer.from(b64u, 'base64url');
/** Bits of an unsigned big-endian integer (leading zero bytes ignored). */
function bitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return i === bytes.length ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

export interface ImportedJwk {
  kty: 'RSA' | 'EC' | 'oct';
  [member: string]: string | undefined;
}

/**
 * A private JWK to import → its spec. Checks completeness and sizes (the HSM checks the
 * mathematics); the error never quotes a member, only names it.
 */
export function resolveImportSpec(jwk: ImportedJwk, keyOps?: KeyOp[]): KeySpec {
  const family = jwk.kty;
  const present = ALL_MEMBERS.filter((m) => jwk[m] !== undefined);
  const missing = MEMBERS[family].filter((m) => jwk[m] === undefined || jwk[m] === '');
  if (missing.length > 0) throw invalid(`The ${family} JWK lacks ${missing.join(', ')} (a private key is needed).`);
  const foreign = present.filter((m) => !MEMBERS[family].includes(m));
  if (foreign.length > 0) throw invalid(`The ${family} JWK must not carry ${foreign.join(', ')}.`);
  const ops = keyOps ?? [...DEFAULT_KEY_OPS[family]];
  assertKeyOpsFit(family, ops);
  const kty = hsmKeyTypeOf(family);
  switch (family) {
    case 'RSA': {
      const size = bitLength(bytesOf(jwk.n as string));
      if (!(RSA_KEY_SIZES as readonly number[]).includes(size)) throw invalid(`The RSA modulus has ${size} bits; Coffer holds ${RSA_KEY_SIZES.join(', ')}-bit keys.`);
      return { family, kty, size, keyOps: ops };
    }
    case 'EC': {
      const crv = jwk.crv as Curve;
      if (!CURVES.includes(crv)) throw invalid(`crv must be one of ${CURVES.join(', ')}.`);
      const bad = (['x', 'y', 'd'] as const).filter((m) => bytesOf(jwk[m] as string).length !== CURVE_BYTES[crv]);
      if (bad.length > 0) throw invalid(`${bad.join(', ')} must be ${CURVE_BYTES[crv]} bytes on ${crv}.`);
      return { family, kty, crv, keyOps: ops };
    }
    case 'oct': {
      const size = bytesOf(jwk.k as string).length * 8;
      if (!(OCT_KEY_SIZES as readonly number[]).includes(size)) throw invalid(`k must be ${OCT_KEY_SIZES.map((b) => b / 8).join(', ')} bytes.`);
      return { family, kty, size, keyOps: ops };
    }
  }
}

/** How to generate the next version of a key: the same type, size or curve and exponent as `current`. */
export function rotationSpecOf(current: KeyVersionState): KeySpec {
  const family = keyFamilyOf(current.kty);
  const base = { family, kty: current.kty, keyOps: current.keyOps };
  switch (family) {
    case 'RSA': {
      const e = current.publicKey.kty === 'RSA' ? parseInt(bytesOf(current.publicKey.e).toString('hex'), 16) : DEFAULT_PUBLIC_EXPONENT;
      return { ...base, size: current.keySize, publicExponent: e };
    }
    case 'EC':
      return { ...base, crv: current.crv };
    case 'oct':
      return { ...base, size: current.keySize };
  }
}
