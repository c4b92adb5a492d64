import { CipherReply } from '@coffer/contracts';
import { EncryptResult } from '@coffer/hsm';

/** An encryption result on the wire: value, and iv and tag for AES-GCM. */
export function encryptReply({ value, iv, tag }: EncryptResult): CipherReply {
  return { value: value.toString('base64'), ...(iv ? { iv: iv.toString('base64') } : {}), ...(tag ? { tag: tag.toString('base64') } : {}) };
}
