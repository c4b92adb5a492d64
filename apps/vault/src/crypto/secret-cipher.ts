import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptedValue } from '@coffer/contracts';

const TAG_BYTES = 16;

/** AAD binding a ciphertext to where it belongs: moving it to another vault, name or version fails. */
export function secretAad(vault: string, name: string, version: string): Buffer {
  return Buffer.from(`coffer/v1/${vault}/secret/${name}/${version}`);
}

/** AES-256-GCM with a fresh 96-bit nonce; `ct` holds ciphertext followed by the tag. */
export function encryptValue(key: Buffer, dek: number, plaintext: Buffer, aad: Buffer): EncryptedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { alg: 'A256GCM', dek, iv: iv.toString('base64'), ct: ct.toString('base64') };
}

/** Throws when the key, AAD or ciphertext does not match (GCM authentication). */
export function decryptValue(key: Buffer, value: EncryptedValue, aad: Buffer): Buffer {
  const ct = Buffer.from(value.ct, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(value.iv, 'base64'));
  decipher.setAAD(aad);
  decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  return Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]);
}
