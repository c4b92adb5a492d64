import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CipherReply, EncryptionAlgorithm, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, EncryptionDto } from './key-requests.dto';

/** RSA (OAEP, OAEP-256, PKCS#1 v1.5) or AES-GCM (iv, tag, aad) decryption with the key version. */
@Controller()
export class DecryptHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.decrypt'))
  async handle(@Payload() { hsmKeyId, alg, value, iv, tag, aad }: EncryptionDto): Promise<CipherReply> {
    const plaintext = await this.keys.decrypt(hsmKeyId, alg as EncryptionAlgorithm, { value: bytes(value), iv: bytes(iv), tag: bytes(tag), aad: bytes(aad) });
    try {
      return { value: plaintext.toString('base64') };
    } finally {
      plaintext.fill(0);
    }
  }
}
