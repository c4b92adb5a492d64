import { Curve, PublicKeyMaterial } from '@coffer/contracts';
import { KeyObject } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { ecPointFromAttribute } from './ec-encoding';
import { HsmError, HsmErrorCodes, hsmCall } from './hsm.errors';
import { ecPublicMaterial, publicKeyObject, rsaPublicMaterial, stripZeros } from './jwk-material';
import { CURVE_INFO, curveOfParams } from './key-mechanisms';
import { keyObjectsTemplate } from './key-templates';

type Handle = pkcs11js.Handle;

/** One key version's objects as an operation needs them: the private/secret handle and what the key can do. */
export type KeyRef = RsaKeyRef | EcKeyRef | OctKeyRef;
export interface RsaKeyRef {
  kty: 'RSA';
  handle: Handle;
  bits: number;
  modulusBytes: number;
  publicKey: Extract<PublicKeyMaterial, { kty: 'RSA' }>;
  /** For the public-key operations done in software (encrypt, wrap, self-tests). */
  publicKeyObject: KeyObject;
}
export interface EcKeyRef {
  kty: 'EC';
  handle: Handle;
  crv: Curve;
  publicKey: Extract<PublicKeyMaterial, { kty: 'EC' }>;
}
export interface OctKeyRef {
  kty: 'oct';
  handle: Handle;
  bits: number;
}

/** More objects than one key version ever has (two, or a few after a cross-process creation race). */
const MAX_OBJECTS_PER_KEY = 16;
/** Cached key versions; the oldest is forgotten beyond this (it is found again on the token). */
const MAX_CACHED_KEYS = 10_000;

/**
 * Finds key versions on the token by label and caches what operations need, so a hot key costs
 * no C_FindObjects. Destroy and restore forget an entry; a stale handle (objects deleted by another
 * process) shows up as KeyNotFound and the caller forgets it too.
 */
export class KeyDirectory {
  private readonly cache = new Map<string, KeyRef>();

  constructor(private readonly pkcs11: pkcs11js.PKCS11) {}

  cached(hsmKeyId: string): KeyRef | undefined {
    return this.cache.get(hsmKeyId);
  }

  forget(hsmKeyId: string): void {
    this.cache.delete(hsmKeyId);
  }

  clear(): void {
    this.cache.clear();
  }

  /** The key version on the token (cached from now on), or undefined when it has no usable objects. */
  lookup(session: Handle, hsmKeyId: string): KeyRef | undefined {
    const cached = this.cache.get(hsmKeyId);
    if (cached) return cached;
    const objects = this.find(session, hsmKeyId).map((handle) => {
      const [cls, id] = hsmCall('read', () =>
        this.pkcs11.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_CLASS }, { type: pkcs11js.CKA_ID }]),
      );
      return { handle, cls: readULong(cls.value), id: Buffer.isBuffer(id.value) ? id.value.toString('hex') : '' };
    });
    // Should two processes ever have created one version at once, all of them pick the same objects.
    const keys = objects
      .filter((o) => o.cls === pkcs11js.CKO_PRIVATE_KEY || o.cls === pkcs11js.CKO_SECRET_KEY)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const key of keys) {
      const publicHandle = objects.find((o) => o.cls === pkcs11js.CKO_PUBLIC_KEY && o.id === key.id)?.handle;
      const ref = this.describe(session, key.handle, publicHandle);
      if (ref) {
        if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(hsmKeyId, ref);
        return ref;
      }
    }
    return undefined;
  }

  /** Every token object labelled for the key version, up to `max`. */
  find(session: Handle, hsmKeyId: string, max = MAX_OBJECTS_PER_KEY): Handle[] {
    return hsmCall('find', () => {
      this.pkcs11.C_FindObjectsInit(session, keyObjectsTemplate(hsmKeyId));
      try {
        return this.pkcs11.C_FindObjects(session, max);
      } finally {
        this.pkcs11.C_FindObjectsFinal(session);
      }
    });
  }

  private describe(session: Handle, handle: Handle, publicHandle: Handle | undefined): KeyRef | undefined {
    const read = (object: Handle, types: number[]) =>
      hsmCall('read', () => this.pkcs11.C_GetAttributeValue(session, object, types.map((type) => ({ type })))).map((a) => a.value as Buffer);
    const [keyType] = read(handle, [pkcs11js.CKA_KEY_TYPE]);
    switch (readULong(keyType)) {
      case pkcs11js.CKK_RSA: {
        const [modulus, exponent] = read(handle, [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]);
        const n = stripZeros(modulus);
        const publicKey = rsaPublicMaterial(n, exponent) as RsaKeyRef['publicKey'];
        return {
          kty: 'RSA', handle, bits: n.length * 8 - Math.clz32(n[0]) + 24, modulusBytes: n.length, publicKey,
          publicKeyObject: publicKeyObject(publicKey),
        };
      }
      case pkcs11js.CKK_EC: {
        if (publicHandle === undefined) return undefined;
        const [params] = read(handle, [pkcs11js.CKA_EC_PARAMS]);
        const crv = curveOfParams(params);
        if (!crv) return undefined;
        const [pointAttr] = read(publicHandle, [pkcs11js.CKA_EC_POINT]);
        const point = ecPointFromAttribute(pointAttr, CURVE_INFO[crv].fieldBytes);
        if (!point) throw new HsmError(HsmErrorCodes.DeviceError, 'an EC key has a public point the adapter cannot read');
        return { kty: 'EC', handle, crv, publicKey: ecPublicMaterial(crv, point) as EcKeyRef['publicKey'] };
      }
      case pkcs11js.CKK_AES: {
        const [length, id] = read(handle, [pkcs11js.CKA_VALUE_LEN, pkcs11js.CKA_ID]);
        const bytes = readULong(length) || octKeyBytesFromId(id);
        return bytes ? { kty: 'oct', handle, bits: bytes * 8 } : undefined;
      }
      default:
        return undefined;
    }
  }
}

/**
 * The CKA_ID of a restored AES key: the pair id and one byte with the key's length. SoftHSM 2.6.1
 * leaves CKA_VALUE_LEN of an unwrapped AES key at 0 (and will not let it be set), so the length is
 * kept here.
 */
export function octKeyId(pairId: Buffer, bytes: number): Buffer {
  return Buffer.concat([pairId, Buffer.from([bytes])]);
}

function octKeyBytesFromId(id: Buffer | undefined): number {
  return Buffer.isBuffer(id) && id.length === 17 ? id[16] : 0;
}

/** A CK_ULONG attribute value (8 bytes little-endian on 64-bit Linux, 4 elsewhere). */
export function readULong(value: unknown): number {
  if (!Buffer.isBuffer(value)) return Number.NaN;
  return value.length >= 8 ? Number(value.readBigUInt64LE(0)) : value.readUInt32LE(0);
}
