import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CipherReply, InternalSubjects, WrapAlgorithm } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, RewrapDto } from './key-requests.dto';

/** Unwrap under one key version, wrap under another; the plaintext never leaves the worker. */
@Controller()
export class RewrapHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.rewrap'))
  async handle(@Payload() { fromHsmKeyId, toHsmKeyId, toPublicKey, alg, value }: RewrapDto): Promise<CipherReply> {
    const rewrapped = await this.keys.rewrap(fromHsmKeyId, toHsmKeyId, alg as WrapAlgorithm, bytes(value), toPublicKey);
    return { value: rewrapped.toString('base64') };
  }
}
