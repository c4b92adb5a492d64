import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InternalSubjects, RestoreKeyReply } from '@coffer/contracts';
import { HSM_KEYS, HsmKeysPort } from '@coffer/hsm';
import { bytes, RestoreKeyDto } from './key-requests.dto';

/** Key restore: unwraps a backup into token objects under hsmKeyId, checked against its public key. */
@Controller()
export class RestoreKeyHandler {
  constructor(@Inject(HSM_KEYS) private readonly keys: HsmKeysPort) {}

  @MessagePattern(InternalSubjects.crypto('key.restore'))
  async handle(@Payload() { hsmKeyId, kty, wrapped, publicKey }: RestoreKeyDto): Promise<RestoreKeyReply> {
    return { publicKey: await this.keys.restoreKey(hsmKeyId, { kty, wrapped: bytes(wrapped), publicKey }) };
  }
}
