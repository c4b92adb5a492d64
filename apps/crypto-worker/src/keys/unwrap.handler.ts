import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { badParameter, CipherReply, InternalSubjects, WrapAlgorithm } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, WrapDto } from './key-requests.dto';

/** Unwraps caller key bytes (Azure's unwrapKey: the result goes back to the caller). */
@Controller()
export class UnwrapHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.unwrap'))
  async handle(@Payload() { hsmKeyId, alg, value, iv, tag, aad }: WrapDto): Promise<CipherReply> {
    if (iv !== undefined || tag !== undefined || aad !== undefined) throw badParameter('iv, tag and aad are not accepted for key unwrapping');
    const key = await this.keys.unwrapKey(hsmKeyId, alg as WrapAlgorithm, bytes(value));
    try {
      return { value: key.toString('base64') };
    } finally {
      key.fill(0);
    }
  }
}
