import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { badParameter, CipherReply, EncryptionAlgorithm, InternalSubjects } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { encryptReply } from './cipher-reply';
import { bytes, EncryptionDto } from './key-requests.dto';

/** AES-GCM in the HSM (fresh IV from it); RSA on the key's public half. */
@Controller()
export class EncryptHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.encrypt'))
  async handle(@Payload() { hsmKeyId, alg, value, iv, tag, aad }: EncryptionDto): Promise<CipherReply> {
    if (iv !== undefined || tag !== undefined) throw badParameter('iv and tag are not accepted for encryption: the HSM chooses the iv');
    return encryptReply(await this.keys.encrypt(hsmKeyId, alg as EncryptionAlgorithm, bytes(value), bytes(aad)));
  }
}
