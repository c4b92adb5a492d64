/**
 * A secret value encrypted with AES-256-GCM under the object's data key. `dek` is the sequence of
 * the wrapped data key in the keyring stream; `ct` is ciphertext followed by the 16-byte tag.
 * The AAD (not stored) binds vault, object type, name and version.
 */
export interface EncryptedValue {
  alg: 'A256GCM';
  dek: number;
  iv: string;
  ct: string;
}
