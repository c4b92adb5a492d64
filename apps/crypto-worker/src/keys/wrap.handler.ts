import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { badParameter, CipherReply, InternalSubjects, WrapAlgorithm } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, WrapDto } from './key-requests.dto';

/** Wraps caller key bytes: A*KW (RFC 3394) in the HSM, RSA on the key's public half. */
@Controller()
export class WrapHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.wrap'))
  async handle(@Payload() { hsmKeyId, alg, value, iv, tag, aad }: WrapDto): Promise<CipherReply> {
    if (iv !== undefined || tag !== undefined || aad !== undefined) throw badParameter('iv, tag and aad are not accepted for key wrapping');
    const key = bytes(value);
    try {
      return { value: (await this.keys.wrapKey(hsmKeyId, alg as WrapAlgorithm, key)).toString('base64') };
    } finally {
      key.fill(0);
    }
  }
}
