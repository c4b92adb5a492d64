import { Curve, DigestName } from '@coffer/contracts';
import * as pkcs11js from 'pkcs11js';

/**
 * The PKCS#11 side of Coffer's algorithms: curve parameters and the mechanism each operation uses
 * (DigestInfo and the software paddings are in @coffer/crypto). Where SoftHSM 2.6.1 lacks a
 * mechanism the comment says what runs instead.
 */

export interface CurveInfo {
  /** DER of the named curve's OID: the CKA_EC_PARAMS value. */
  params: Buffer;
  /** Bytes of one coordinate, of d, and of r and s in a signature. */
  fieldBytes: number;
  /** The curve's name in node:crypto JWKs (JOSE says P-256K, Node says secp256k1). */
  nodeCrv: string;
}

export const CURVE_INFO: Readonly<Record<Curve, CurveInfo>> = {
  'P-256': { params: Buffer.from('06082a8648ce3d030107', 'hex'), fieldBytes: 32, nodeCrv: 'P-256' },
  'P-384': { params: Buffer.from('06052b81040022', 'hex'), fieldBytes: 48, nodeCrv: 'P-384' },
  'P-521': { params: Buffer.from('06052b81040023', 'hex'), fieldBytes: 66, nodeCrv: 'P-521' },
  'P-256K': { params: Buffer.from('06052b8104000a', 'hex'), fieldBytes: 32, nodeCrv: 'secp256k1' },
};

/** The curve whose CKA_EC_PARAMS is `params`, or undefined. */
export function curveOfParams(params: Buffer): Curve | undefined {
  return (Object.keys(CURVE_INFO) as Curve[]).find((crv) => CURVE_INFO[crv].params.equals(params));
}

const HASH_MECHANISM: Readonly<Record<DigestName, { hashAlg: number; mgf: number }>> = {
  sha256: { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  sha384: { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  sha512: { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
};

export const RSA_PKCS: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_RSA_PKCS };
/** Raw RSA: SoftHSM's OAEP takes only SHA-1, so RSA-OAEP-256 decrypts raw and unpads in software. */
export const RSA_X_509: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_RSA_X_509 };
export const ECDSA: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_ECDSA };
export const AES_KEY_WRAP: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP };
export const AES_KEY_WRAP_PAD: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD };
export const AES_KEY_GEN: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_GEN };
export const RSA_KEY_PAIR_GEN: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN };
export const EC_KEY_PAIR_GEN: pkcs11js.Mechanism = { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN };

/** RSASSA-PSS over a precomputed digest: MGF1 with the same hash, salt as long as the digest (JWA PS*). */
export function rsaPss(digest: DigestName, saltBytes: number): pkcs11js.Mechanism {
  const parameter: pkcs11js.RsaPSS = { type: pkcs11js.CK_PARAMS_RSA_PSS, ...HASH_MECHANISM[digest], saltLen: saltBytes };
  return { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter };
}

/** CK_RSA_PKCS_OAEP_SOURCE_TYPE for an (empty) encoding parameter; pkcs11js does not export it. */
const CKZ_DATA_SPECIFIED = 1;

/** RSAES-OAEP with SHA-1 and MGF1-SHA-1 and no label (JWA RSA-OAEP), the only OAEP SoftHSM does. */
export const RSA_OAEP_SHA1: pkcs11js.Mechanism = {
  mechanism: pkcs11js.CKM_RSA_PKCS_OAEP,
  parameter: { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1, source: CKZ_DATA_SPECIFIED } as pkcs11js.RsaOAEP,
};

export const GCM_TAG_BITS = 128;
export function aesGcm(iv: Buffer, aad: Buffer | undefined): pkcs11js.Mechanism {
  const parameter: pkcs11js.AesGCM = { type: pkcs11js.CK_PARAMS_AES_GCM, iv, ivBits: iv.length * 8, tagBits: GCM_TAG_BITS };
  // An empty aad is the same as none; SoftHSM rejects a zero-length buffer in the parameter.
  if (aad && aad.length > 0) parameter.aad = aad;
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}
