import { KEY_TYPES_REQUESTED, KeyFamily, KeyRotationPolicyRecord, KeyVersionRecord, OBJECT_NAME, PublicKeyMaterial, VERSION_ID } from '@coffer/contracts';

/** One version in a key backup: its record without the HSM id (restore makes new ones) and its wrapped material. */
export type BackedUpKeyVersion = Omit<KeyVersionRecord, 'hsmKeyId'> & {
  family: KeyFamily;
  /** The version's private or secret material wrapped by the trusted backup key (opaque, base64). */
  wrapped: string;
  publicKey: PublicKeyMaterial;
};

/** What a key backup holds once opened. No plaintext key material: the HSM unwraps it on restore. */
export interface KeyBackupPayload {
  name: string;
  versions: BackedUpKeyVersion[];
  rotationPolicy?: KeyRotationPolicyRecord;
}

export const isKeyBackup = (p: unknown): p is KeyBackupPayload => {
  const payload = p as KeyBackupPayload;
  return typeof payload === 'object' && payload !== null && OBJECT_NAME.test(payload.name) && Array.isArray(payload.versions)
    && payload.versions.length > 0
    && payload.versions.every((v) => VERSION_ID.test(v.version) && typeof v.wrapped === 'string' && (KEY_TYPES_REQUESTED as readonly string[]).includes(v.kty)
      && typeof v.publicKey === 'object' && Array.isArray(v.keyOps));
};
