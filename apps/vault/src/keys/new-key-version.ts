import { KeyAttributesRequest, KeyVersionAttributes, PublicKeyMaterial } from '@coffer/contracts';
import { KeySpec, NewKeyVersion } from '@coffer/domain';
import { randomBytes } from 'node:crypto';

/** A fresh version id: 32 lowercase hex characters (also the last part of its hsmKeyId). */
export const newVersionId = (): string => randomBytes(16).toString('hex');

/** Stands in for the public half in the decider's dry run, before the HSM has made anything. */
export const DRY_RUN_PUBLIC_KEY: PublicKeyMaterial = { kty: 'oct' };

/** Attributes of a new version from a request: enabled unless it says otherwise. */
export function attributesOfRequest(a: KeyAttributesRequest | undefined): KeyVersionAttributes {
  return { enabled: a?.enabled ?? true, ...(a?.nbf && { nbf: a.nbf }), ...(a?.exp && { exp: a.exp }) };
}

/** The version record a create or import command carries. */
export function newKeyVersion(
  spec: KeySpec, ids: { version: string; hsmKeyId: string }, publicKey: PublicKeyMaterial | undefined,
  req: { attributes?: KeyAttributesRequest; tags?: Record<string, string> },
): NewKeyVersion {
  return {
    ...ids,
    kty: spec.kty,
    ...(spec.size !== undefined && { keySize: spec.size }),
    ...(spec.crv !== undefined && { crv: spec.crv }),
    keyOps: spec.keyOps,
    publicKey: publicKey ?? DRY_RUN_PUBLIC_KEY,
    attributes: attributesOfRequest(req.attributes),
    ...(req.tags !== undefined && { tags: req.tags }),
  };
}
